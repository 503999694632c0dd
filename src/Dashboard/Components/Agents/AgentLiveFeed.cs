using Cutover.Core.Status;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// A page's subscription to <see cref="StatusBus"/>: reads the change stream in a loop, batches bursts (~100 ms) into
/// one callback, drops duplicates by sequence and flags gaps (a slow reader lost changes, so the page must reload).
/// Dispose cancels and awaits the loop. A minimal stand-in for Components/Live/LiveStatusListener, which is being
/// written in parallel; the lead swaps it in when both are merged.
/// </summary>
public sealed class AgentLiveFeed : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMilliseconds(100);

    private readonly StatusSubscription _subscription;
    private readonly Func<LiveBatch, Task> _onBatch;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly Dictionary<Guid, long> _lastSequence = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private AgentLiveFeed(StatusBus bus, Guid? agentId, Func<LiveBatch, Task> onBatch, TimeProvider time, TimeSpan window, ILogger logger)
    {
        _subscription = bus.Subscribe(agentId);
        foreach (var (id, state) in _subscription.Snapshot) _lastSequence[id] = state.Sequence;
        _onBatch = onBatch;
        _time = time;
        _window = window;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Subscribes now (before the caller reads the database, so nothing falls between the read and the stream) and
    /// calls <paramref name="onBatch"/> off the render thread: the callback marshals with InvokeAsync itself.
    /// </summary>
    public static AgentLiveFeed Start(StatusBus bus, Guid? agentId, Func<LiveBatch, Task> onBatch, TimeProvider time,
        ILogger logger, TimeSpan? window = null) =>
        new(bus, agentId, onBatch, time, window ?? DefaultWindow, logger);

    private async Task RunAsync()
    {
        var reader = _subscription.Changes;
        var ct = _stop.Token;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                // Let a burst (a promote writes several events) arrive, then render once for all of it.
                await Task.Delay(_window, _time, ct).ConfigureAwait(false);
                var changes = new List<StatusChange>();
                var gap = false;
                while (reader.TryRead(out var change))
                {
                    if (_lastSequence.TryGetValue(change.AgentId, out var last))
                    {
                        if (change.Sequence <= last) continue;
                        if (change.Sequence > last + 1) gap = true;
                    }

                    _lastSequence[change.AgentId] = change.Sequence;
                    changes.Add(change);
                }

                if (changes.Count == 0 && !gap) continue;
                try
                {
                    await _onBatch(new LiveBatch(changes, gap)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed refresh must not end live updates for the rest of the page's life.
                    _logger.LogWarning(e, "A live status refresh failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _subscription.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
