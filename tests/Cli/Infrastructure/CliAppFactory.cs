using System.Net;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>
/// The real app on real Kestrel (127.0.0.1, a free port) over its own temp SQLite database, with a bootstrap admin
/// token and the local runtime on (the sample agent it starts calls back on that port). The same setup as the unit
/// tests' KestrelAppFactory, kept small here so this project does not reference another test project.
/// </summary>
public sealed class CliAppFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "cut_test_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private Uri? _address;

    public CliAppFactory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "cutover-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string Directory { get; }

    /// <summary>The http:// address the server listens on, without a trailing '/' (starts it on first use).</summary>
    public string Address
    {
        get
        {
            if (_address is not null) return _address.ToString().TrimEnd('/');
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            _address = new Uri(address.TrimEnd('/') + "/");
            return _address.ToString().TrimEnd('/');
        }
    }

    public HttpClient Http(string token = AdminToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(Address + "/") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A personal token row stored the way the tokens API stores it (hash only); expiry may be in the past.</summary>
    public async Task<string> CreateTokenAsync(Role role, DateTime? expiresAt = null)
    {
        var text = TokenSecrets.NewToken(TokenKind.Personal);
        var factory = Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken(Guid.NewGuid(), $"cli-{Guid.NewGuid():N}"[..16], TokenKind.Personal, role, null,
            TokenSecrets.Prefix(text), TokenSecrets.Hash(text), DateTime.UtcNow.AddDays(-2), expiresAt, "test"));
        await db.SaveChangesAsync();
        return text;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={Path.Combine(Directory, "cutover.db")}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", AdminToken);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "true");
        builder.UseSetting("Cutover:Runtime:ReadyTimeout", "00:00:45");
        builder.UseSetting("Cutover:RateLimits:Registration:PermitLimit", "100000");
        builder.UseSetting("Cutover:RateLimits:HealthReport:PermitLimit", "100000");
        builder.UseSetting("Cutover:RateLimits:FailedAuthentication:PermitLimit", "100000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
