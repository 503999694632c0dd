using System.Threading.Channels;

namespace Cutover.Core.Provisioning;

/// <summary>The stream of committed run changes (every run's). Dispose to unsubscribe.</summary>
public sealed class RunSubscription(ChannelReader<RunChange> changes, Action unsubscribe) : IDisposable
{
    private int _disposed;

    public ChannelReader<RunChange> Changes { get; } = changes;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) unsubscribe();
    }
}
