using System.Net;
using Cutover.Core.Deployments;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// The real Cutover app in this process on a loopback port, over a temp SQLite database, with an operator
/// (bootstrap admin) token. Logging is left as the app configures it for production.
/// </summary>
internal sealed class CutoverHost : WebApplicationFactory<Program>
{
    public const string Token = "cut_bench_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));

    public CutoverHost()
    {
        Directory.CreateDirectory(_directory);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public Uri Address { get; private set; } = default!;

    public Uri Start()
    {
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return Address;
    }

    /// <summary>Registers one agent whose first (so production) deployment points at <paramref name="url"/>.</summary>
    public async Task<Guid> RegisterAgentAsync(Uri url)
    {
        var outcome = await Services.GetRequiredService<DeploymentService>().RegisterAsync(
            new RegisterCommand("bench-agent", null, url.ToString(), Guid.CreateVersion7(), "registry.example/bench:1", null),
            "benchmark", CancellationToken.None);
        return outcome.IsSuccess ? outcome.Value!.Agent.Id : throw new InvalidOperationException(outcome.Failure!.Detail);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory finds the content root only for test assemblies; a console names it itself.
        builder.UseContentRoot(DashboardDirectory());
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={Path.Combine(_directory, "cutover.db")}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", Token);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    private static string DashboardDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln"))) return Path.Combine(dir.FullName, "src", "Dashboard");
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (Dashboard.sln not found above it).");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
