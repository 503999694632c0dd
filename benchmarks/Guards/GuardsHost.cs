using Cutover.Benchmarks.Shared;
using Microsoft.AspNetCore.Hosting;

namespace Cutover.Benchmarks.Guards;

/// <summary>The real Cutover app on a loopback port, its health probes every <paramref name="probeInterval"/>.</summary>
internal sealed class GuardsHost(TimeSpan probeInterval) : BenchmarkHost<Cutover.Dashboard.Guards.GuardOptions>
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Cutover:Health:ProbeInterval", probeInterval.ToString("c"));
        // One benchmark token makes every call: the per-token limits are not what is measured here.
        builder.UseSetting("Cutover:RateLimits:Registration:PermitLimit", "100000");
    }
}
