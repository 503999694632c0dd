using Cutover.Core.Status;
using Cutover.Dashboard.Live;

namespace Cutover.Dashboard.Metrics;

/// <summary>
/// Counts every committed status change: one <see cref="StatusBus"/> subscription, taken in StartAsync (before the
/// server listens) like the hub relay's, so the count sees exactly what subscribers see and the write path is untouched.
/// </summary>
internal sealed class StatusChangeCounter(StatusBus bus, CutoverMetrics metrics) : StatusBusWorker(bus)
{
    protected override Task HandleAsync(StatusChange change, CancellationToken cancellationToken)
    {
        metrics.StatusChanged(change.Field, change.Kind);
        return Task.CompletedTask;
    }
}
