using Cutover.Core.Status;

namespace Cutover.Dashboard.Live;

/// <summary>
/// A page's subscription to the seam: the live state it started from, and the stream of batches it is fed.
/// <see cref="DisposeAsync"/> stops the stream and waits for a batch in progress to end.
/// </summary>
public sealed class DashboardSubscription(IReadOnlyDictionary<Guid, AgentLiveState> snapshot, Func<ValueTask> dispose) : IAsyncDisposable
{
    private int _disposed;

    /// <summary>The agents' live states when the subscription started (one agent's, or all of them).</summary>
    public IReadOnlyDictionary<Guid, AgentLiveState> Snapshot { get; } = snapshot;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? dispose() : ValueTask.CompletedTask;
}
