using System.Net;
using Cutover.Core.Status;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// The real Cutover app in this process on a loopback port (Kestrel), in Production, over a temp SQLite file that
/// <see cref="Seed"/> filled before start, with a bootstrap admin token. Static web assets come from the build's
/// manifest (what the published output serves, gzip-compressed; a publish adds Brotli).
/// </summary>
internal sealed class UiHost : WebApplicationFactory<Program>
{
    public const string Token = "cut_bench_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));

    private UiHost(int agents)
    {
        Agents = agents;
        Directory.CreateDirectory(_directory);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.Use(Wire.Wrap)));
    }

    public int Agents { get; }

    /// <summary>Bytes this app has written to its connections so far.</summary>
    public WireCounter Wire { get; } = new();

    /// <summary>The seeded agents' ids, in name order (<see cref="Seed.Name"/>).</summary>
    public IReadOnlyList<Guid> AgentIds { get; private set; } = [];

    public string DatabasePath => Path.Combine(_directory, "cutover.db");

    public Uri Address { get; private set; } = default!;

    public StatusChokepoint Chokepoint => Services.GetRequiredService<StatusChokepoint>();

    /// <summary>Seeds <paramref name="agents"/> agents into a fresh database, then starts the app over it.</summary>
    public static async Task<UiHost> StartAsync(int agents)
    {
        var host = new UiHost(agents);
        host.AgentIds = await Seed.WriteAsync(host.DatabasePath, agents);
        host.StartServer();
        host.Address = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        await Seed.ApplyHealthAsync(host.Chokepoint, host.AgentIds);
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory finds the content root only for test assemblies; a console names it itself.
        builder.UseContentRoot(DashboardDirectory());
        builder.UseEnvironment("Production");
        // The plain build serves static web assets only in Development; this maps them from the build's manifest.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={DatabasePath}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", Token);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "false");
        // The seeded deployments point nowhere: no probes, and no liveness sweep turning them Unknown. The only
        // status changes are the benchmark's own, through the chokepoint.
        builder.UseSetting("Cutover:Health:ProbesEnabled", "false");
        builder.UseSetting("Cutover:Health:LivenessWindow", "7.00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Cutover", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        // Quiet for the benchmark's own output: the setup link (a viewer is created with the token instead) and the
        // unencrypted key ring of a temp folder.
        builder.UseSetting("Logging:LogLevel:Cutover.Dashboard.Security.SetupAnnouncer", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
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
