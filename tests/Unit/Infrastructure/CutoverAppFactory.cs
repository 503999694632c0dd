using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// The real app in memory (WebApplicationFactory) over its own temp SQLite database, with a bootstrap admin token.
/// Use one per test class (IClassFixture) so classes never share state.
/// </summary>
public class CutoverAppFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "cut_test_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly Dictionary<string, string?> _settings = new();

    public CutoverAppFactory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "cutover-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "cutover.db");
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    /// <summary>Adds or overrides a configuration key before the app starts.</summary>
    public CutoverAppFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public HttpClient CreateClient(string? bearerToken)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    public HttpClient CreateAdminClient() => CreateClient(AdminToken);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={DatabasePath}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", AdminToken);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        // Test classes share one admin token across many calls; the limits themselves are tested with low values.
        builder.UseSetting("Cutover:RateLimits:Registration:PermitLimit", "100000");
        builder.UseSetting("Cutover:RateLimits:HealthReport:PermitLimit", "100000");
        builder.UseSetting("Cutover:RateLimits:FailedAuthentication:PermitLimit", "100000");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
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
