using Cutover.Core.Health;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

/// <summary>Closes the liveness window: health with no fresh evidence becomes Unknown (see <see cref="HealthMonitor.SweepAsync"/>).</summary>
internal sealed class LivenessWorker(HealthMonitor monitor, IOptions<HealthOptions> options, TimeProvider time,
    ScaleOut.SingletonLeases leases, ILogger<LivenessWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LivenessSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Every node ticks; only the job's holder sweeps (a standby asks at every tick, which is at least as often as StandbyCheck by default).
            if (!await leases.HoldsAsync(ScaleOut.SingletonLeases.LivenessSweep, stoppingToken)) continue;
            try
            {
                var changed = await monitor.SweepAsync(stoppingToken);
                if (changed > 0) logger.LogInformation("Liveness window closed on {Count} targets; their health is Unknown", changed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Liveness sweep failed; it runs again at the next interval");
            }
        }
    }
}
