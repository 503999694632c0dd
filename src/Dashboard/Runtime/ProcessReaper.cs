using Cutover.Core.Runtime;
using Cutover.Core.Status;

namespace Cutover.Dashboard.Runtime;

/// <summary>Stops a deployment's process as soon as the deployment is deleted (or purged), however that happened.</summary>
internal sealed partial class DeletedDeploymentReaper(StatusBus bus, IDeploymentRuntime runtime, ILogger<DeletedDeploymentReaper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var change in subscription.Changes.ReadAllAsync(stoppingToken))
            {
                if (change.DeploymentId is not { } id) continue;
                if (change.Field is not (StatusField.DeploymentDeleted or StatusField.DeploymentPurged)) continue;
                if (runtime.GetState(id).Status != RuntimeStatus.Running) continue;
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

    [LoggerMessage(LogLevel.Warning, "Deleted deployment {DeploymentId} did not stop in time")]
    private static partial void LogStopFailed(ILogger logger, Exception e, Guid deploymentId);
}
