using Cutover.Benchmarks.Shared;
using Cutover.Core.Status;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// The real Cutover app in this process on a loopback port (Kestrel), in Production, over a temp SQLite file that
/// <see cref="Seed"/> filled before start, with a bootstrap admin token. Static web assets come from the build's
/// manifest (what the published output serves, gzip-compressed; a publish adds Brotli).
/// </summary>
internal sealed class UiHost : BenchmarkHost<Program>
{
    private UiHost(int agents) => Agents = agents;

    public int Agents { get; }

    /// <summary>Bytes this app has written to its connections so far.</summary>
    public WireCounter Wire { get; } = new();

    /// <summary>The seeded agents' ids, in name order (<see cref="Seed.Name"/>).</summary>
    public IReadOnlyList<Guid> AgentIds { get; private set; } = [];

    public StatusChokepoint Chokepoint => Services.GetRequiredService<StatusChokepoint>();

    /// <summary>Seeds <paramref name="agents"/> agents into a fresh database, then starts the app over it.</summary>
    public static async Task<UiHost> StartAsync(int agents)
    {
        var host = new UiHost(agents);
        host.AgentIds = await Seed.WriteAsync(host.DatabasePath, agents);
        host.Start();
        await Seed.ApplyHealthAsync(host.Chokepoint, host.AgentIds);
        return host;
    }

    protected override void Listen(ListenOptions listen) => listen.Use(Wire.Wrap);

    protected override void Configure(IWebHostBuilder builder)
    {
        // The plain build serves static web assets only in Development; this maps them from the build's manifest.
        builder.UseStaticWebAssets();
        // The seeded deployments point nowhere: no probes, and no liveness sweep turning them Unknown. The only
        // status changes are the benchmark's own, through the chokepoint.
        builder.UseSetting("Cutover:Health:ProbesEnabled", "false");
        builder.UseSetting("Cutover:Health:LivenessWindow", "7.00:00:00");
        builder.UseSetting("Logging:LogLevel:Cutover", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        // Quiet for the benchmark's own output: the setup link (a viewer is created with the token instead) and the
        // unencrypted key ring of a temp folder.
        builder.UseSetting("Logging:LogLevel:Cutover.Dashboard.Security.SetupAnnouncer", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
    }
}
