using Cutover.Core.Provisioning;
using Cutover.Core.Status;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// At start-up, before requests are served, marks every run a previous process left in flight Interrupted (see
/// <see cref="ProvisioningService.MarkInterruptedAsync"/>), then keeps ledger rows in step with later deploy outcomes
/// (<see cref="ProvisioningService.WatchOutcomesAsync"/>); at shutdown, stops this process's runs where they stand.
/// </summary>
internal sealed partial class InterruptedRuns(ProvisioningService provisioning, StatusBus bus, ILogger<InterruptedRuns> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = await provisioning.MarkInterruptedAsync(cancellationToken);
        if (interrupted > 0) LogInterrupted(logger, interrupted);
        _watch = Task.Run(() => provisioning.WatchOutcomesAsync(bus, _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _watch.WaitAsync(cancellationToken);
            await provisioning.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Count} provisioning runs were in progress when Cutover stopped; they are Interrupted")]
    private static partial void LogInterrupted(ILogger logger, int count);
}
