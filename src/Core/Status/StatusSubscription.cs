using System.Threading.Channels;

namespace Cutover.Core.Status;

/// <summary>A snapshot of agent states and the changes that follow it. Dispose to unsubscribe.</summary>
public sealed class StatusSubscription(
    IReadOnlyDictionary<Guid, AgentLiveState> snapshot,
    ChannelReader<StatusChange> changes,
    Action unsubscribe) : IDisposable
{
    private int _disposed;

    public IReadOnlyDictionary<Guid, AgentLiveState> Snapshot { get; } = snapshot;

    public ChannelReader<StatusChange> Changes { get; } = changes;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) unsubscribe();
    }
}
