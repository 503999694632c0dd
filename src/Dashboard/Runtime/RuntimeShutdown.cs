using Cutover.Core.Deploy;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// When the dashboard stops: kill every agent process (no orphans), then let deploys that were still starting write
/// their terminal state while the database is still there.
/// </summary>
internal sealed partial class RuntimeShutdown(IServiceProvider services, DeployService deploys, ILogger<RuntimeShutdown> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetService<LocalProcessRuntime>() is { } local) await local.StopAllAsync(cancellationToken);
            await deploys.DrainAsync(cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogIncomplete(logger, e);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Shutdown of the deployment runtime did not finish in time")]
    private static partial void LogIncomplete(ILogger logger, Exception e);
}
