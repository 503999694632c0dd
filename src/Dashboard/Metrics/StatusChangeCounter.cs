using Cutover.Core.Status;

namespace Cutover.Dashboard.Metrics;

/// <summary>
/// Counts every committed status change: one <see cref="StatusBus"/> subscription, taken in StartAsync (before the
/// server listens) like the hub relay's, so the count sees exactly what subscribers see and the write path is untouched.
/// </summary>
internal sealed class StatusChangeCounter(StatusBus bus, CutoverMetrics metrics) : BackgroundService
{
    private StatusSubscription? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = bus.Subscribe();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = _subscription!;
        await foreach (var change in subscription.Changes.ReadAllAsync(stoppingToken))
        {
            metrics.StatusChanged(change.Field, change.Kind);
        }
    }
}
