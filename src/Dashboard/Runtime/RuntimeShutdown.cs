using Cutover.Core.Deployments;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// When the dashboard stops: kill every agent process (no orphans), then let deploys that were still starting write
/// their terminal state while the database is still there.
/// </summary>
internal sealed partial class RuntimeShutdown(IServiceProvider services, DeploymentLauncher deploys, ILogger<RuntimeShutdown> logger)
    : IHostedService
{
    private LocalProcessRuntime? _local;

    /// <summary>
    /// Takes the runtime now, not at stop: the host that runs Program.Main and a test host's own stop can overlap,
    /// and the first to finish disposes the container while the other is still stopping (seen as a flaky
    /// ObjectDisposedException here). The runtime itself stops its processes when the container disposes it.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _local = services.GetService<LocalProcessRuntime>();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_local is { } local) await local.StopAllAsync(cancellationToken);
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
