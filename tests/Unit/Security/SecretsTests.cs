using System.Text;
using Cutover.Dashboard.Security;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.Unit.Security;

/// <summary>Token text and passwords never reach the database file, its WAL, or any log line.</summary>
public sealed class SecretsTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task TokenAndPasswordText_AbsentFromDatabaseWalAndLogs()
    {
        using var admin = app.CreateAdminClient(); // starts the app, which creates the database in WAL mode

        // SQLite folds the WAL into the file and deletes it when the last connection closes, and other test classes
        // clear every connection pool in this process when they finish; this connection keeps the WAL in place.
        using var holdsWal = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabasePath, Pooling = false }.ToString());
        holdsWal.Open();
        using (var read = holdsWal.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_master";
            read.ExecuteScalar();
        }

        var (_, personal) = await SecurityApi.CreatePersonalTokenAsync(admin, "Operator");
        var (_, agent) = await SecurityApi.CreateAgentTokenAsync(admin, "secret-scan-bot");
        const string password = "a distinctive passphrase 9731";
        await SecurityApi.CreateUserAsync(admin, "secret-scan-user", "Viewer", password);
        using (var client = app.CreateClient(personal)) await client.GetAsync("/system");
        using (var browser = app.CreateClient(bearerToken: null)) await SignInForm.SignInAsync(browser, "secret-scan-user", password);

        var files = new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists).ToList();
        Assert.Contains(app.DatabasePath + "-wal", files);
        var bytes = files.Select(ReadShared).ToList();
        // The scan can see what it looks for: the token's hash and prefix are stored (in the WAL or the file).
        Assert.Contains(bytes, b => Contains(b, TokenSecrets.Hash(personal)));
        Assert.Contains(bytes, b => Contains(b, TokenSecrets.Prefix(personal)));

        var logs = string.Join("\n", app.Logs.Lines);
        Assert.Contains("secret-scan-user", logs); // the capture works
        foreach (var secret in new[] { personal, agent, password, personal[TokenSecrets.PrefixLength..], AdminTokenSecret() })
        {
            Assert.DoesNotContain(bytes, b => Contains(b, secret));
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private static string AdminTokenSecret() => Infrastructure.CutoverAppFactory.AdminToken;

    /// <summary>Reads a file the running app holds open (its pooled connections keep the WAL in place).</summary>
    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;
}
