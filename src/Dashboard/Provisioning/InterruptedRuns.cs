using Cutover.Core.Provisioning;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// At start-up, before requests are served, marks every run a previous process left in flight Interrupted (see
/// <see cref="ProvisioningService.MarkInterruptedAsync"/>); at shutdown, stops this process's runs where they stand.
/// </summary>
internal sealed partial class InterruptedRuns(ProvisioningService provisioning, ILogger<InterruptedRuns> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = await provisioning.MarkInterruptedAsync(cancellationToken);
        if (interrupted > 0) LogInterrupted(logger, interrupted);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await provisioning.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Count} provisioning runs were in progress when Cutover stopped; they are Interrupted")]
    private static partial void LogInterrupted(ILogger logger, int count);
}
