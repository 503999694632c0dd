using Cutover.Benchmarks.Shared;
using Cutover.Core.Provisioning;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cutover.Benchmarks.Provisioning;

/// <summary>
/// The real app in this process on a loopback port over a temp SQLite database, with the local runtime on (real
/// sample-agent processes) and the fault plan around the real provisioning steps.
/// </summary>
internal sealed class ProvisioningHost(TimeSpan wakeTimeout) : BenchmarkHost<Program>
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "true");
        builder.UseSetting("Cutover:Runtime:ReadyTimeout", "00:02:00");
        builder.UseSetting("Cutover:Provisioning:WakeTimeout", wakeTimeout.ToString("c"));
        builder.UseSetting("Cutover:RateLimits:Registration:PermitLimit", "1000000");
        builder.UseSetting("Cutover:RateLimits:HealthReport:PermitLimit", "1000000");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ProvisioningSteps>();
            services.AddSingleton<FaultPlan>();
            services.RemoveAll<IProvisioningSteps>();
            services.AddSingleton<IProvisioningSteps>(sp => sp.GetRequiredService<FaultPlan>());
        });
    }
}
