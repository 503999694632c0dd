using Cutover.Core.Deployments;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Hosting;

/// <summary>Purges soft-deleted deployments whose retention has run out (never production).</summary>
internal sealed class RetentionWorker(
    DeploymentService deployments,
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    ScaleOut.SingletonLeases leases,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        do
        {
            if (!await leases.HoldsAsync(ScaleOut.SingletonLeases.Retention, stoppingToken)) continue;
            try
            {
                var purged = await deployments.PurgeExpiredAsync(stoppingToken);
                if (purged > 0) logger.LogInformation("Retention purged {Count} deployments", purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Retention sweep failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
