using Cutover.Core.Status;

namespace Cutover.Dashboard.Live;

/// <summary>
/// A process-wide subscriber of the <see cref="StatusBus"/>: it subscribes in StartAsync (before the server listens),
/// so no change committed after start-up is missed, and hands every change to <see cref="HandleAsync"/> in order.
/// </summary>
internal abstract class StatusBusWorker(StatusBus bus) : BackgroundService
{
    private StatusSubscription? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = bus.Subscribe();
        return base.StartAsync(cancellationToken);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = _subscription!;
        await foreach (var change in subscription.Changes.ReadAllAsync(stoppingToken))
        {
            await HandleAsync(change, stoppingToken);
        }
    }

    protected abstract Task HandleAsync(StatusChange change, CancellationToken cancellationToken);
}
