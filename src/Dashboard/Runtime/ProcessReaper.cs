using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Stops a deployment's process as soon as the deployment is deleted, purged or stopped, however that happened and
/// on whichever node (a change relayed from another node arrives here too, and only the node running the process
/// has one to stop). The exit is a requested one, so it is never taken for a failure.
/// </summary>
internal sealed partial class ProcessReaper(
    StatusBus bus,
    IDeploymentRuntime runtime,
    IDbContextFactory<CutoverDbContext> dbFactory,
    ILogger<ProcessReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var change in subscription.Changes.ReadAllAsync(stoppingToken))
            {
                if (change.DeploymentId is not { } id) continue;
                var stopped = change is { Field: StatusField.DeploymentStatus, To: nameof(DeploymentStatus.Stopped) };
                if (!stopped && change.Field is not (StatusField.DeploymentDeleted or StatusField.DeploymentPurged)) continue;
                if (runtime.GetState(id).Status != RuntimeStatus.Running) continue;
                // Started again since (a stop and a start in quick succession): the process running now is the new one.
                if (stopped && !await IsStillStoppedAsync(id, stoppingToken)) continue;
                try
                {
                    await runtime.StopAsync(id, stoppingToken);
                }
                catch (TimeoutException e)
                {
                    LogStopFailed(logger, e, id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> IsStillStoppedAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.AsNoTracking().AnyAsync(d => d.Id == deploymentId && d.Status == DeploymentStatus.Stopped, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Deployment {DeploymentId} did not stop in time")]
    private static partial void LogStopFailed(ILogger logger, Exception e, Guid deploymentId);
}
