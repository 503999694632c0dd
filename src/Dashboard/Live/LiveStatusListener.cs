using Cutover.Core.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Dashboard.Live;

/// <summary>
/// Feeds a Blazor component from the <see cref="StatusBus"/>: it takes the snapshot and the change stream together
/// (nothing falls between them), reads the stream in a loop, lets a burst gather for one batch window (~100 ms, so
/// at most ~10 renders a second per circuit), and hands each batch to the component on its renderer. Changes are
/// checked against each agent's sequence: a duplicate is dropped, and a gap (this reader fell behind and the bus
/// dropped changes) asks the component to reload from the database instead of applying a partial batch.
/// </summary>
/// <example>
/// In a page (prerender is off app-wide, so this subscribes once per circuit):
/// <code>
/// protected override void OnInitialized() =&gt;
///     _live = LiveStatusListener.Start(Bus, agentId: null, InvokeAsync, ApplyAsync, ReloadAsync);
///
/// private Task ApplyAsync(IReadOnlyList&lt;StatusChange&gt; changes) { /* update state */ StateHasChanged(); return Task.CompletedTask; }
///
/// public ValueTask DisposeAsync() =&gt; _live?.DisposeAsync() ?? ValueTask.CompletedTask;
/// </code>
/// </example>
public sealed class LiveStatusListener : IAsyncDisposable
{
    /// <summary>How long a burst may gather before it is rendered.</summary>
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(100);

    private readonly StatusSubscription _subscription;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<IReadOnlyList<StatusChange>, Task> _onChanges;
    private readonly Func<Task> _onGap;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    // The last sequence delivered per agent, for agents that changed since the snapshot; the others' is the snapshot's
    // (so a page over 10,000 agents does not copy 10,000 sequences when it opens).
    private readonly Dictionary<Guid, long> _lastSequence = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private LiveStatusListener(StatusSubscription subscription, Func<Func<Task>, Task> dispatch,
        Func<IReadOnlyList<StatusChange>, Task> onChanges, Func<Task> onGap, TimeProvider time, TimeSpan window, ILogger logger)
    {
        _subscription = subscription;
        _dispatch = dispatch;
        _onChanges = onChanges;
        _onGap = onGap;
        _time = time;
        _window = window;
        _logger = logger;
    }

    /// <summary>The agents' states when listening started (one agent's, or all of them); render these first.</summary>
    public IReadOnlyDictionary<Guid, AgentLiveState> Snapshot => _subscription.Snapshot;

    /// <summary>The reading loop; completes after <see cref="DisposeAsync"/>.</summary>
    public Task Completion => _loop;

    /// <summary>
    /// Subscribes and starts the loop.
    /// </summary>
    /// <param name="bus">The process's status bus.</param>
    /// <param name="agentId">One agent's changes, or null for every agent's.</param>
    /// <param name="dispatch">Runs work on the component's renderer: pass the component's <c>InvokeAsync</c>.</param>
    /// <param name="onChanges">Applies a batch (in commit order, without duplicates); call <c>StateHasChanged</c> in it.</param>
    /// <param name="onGap">Changes were lost: reload from the database; call <c>StateHasChanged</c> in it.</param>
    /// <param name="time">The clock for the batch window (tests pass a fake one).</param>
    /// <param name="batchWindow">How long a burst gathers; <see cref="DefaultBatchWindow"/> when null.</param>
    /// <param name="logger">Where a failing callback is reported (the loop goes on).</param>
    public static LiveStatusListener Start(
        StatusBus bus,
        Guid? agentId,
        Func<Func<Task>, Task> dispatch,
        Func<IReadOnlyList<StatusChange>, Task> onChanges,
        Func<Task> onGap,
        TimeProvider? time = null,
        TimeSpan? batchWindow = null,
        ILogger? logger = null)
    {
        var listener = new LiveStatusListener(bus.Subscribe(agentId), dispatch, onChanges, onGap, time ?? TimeProvider.System,
            batchWindow ?? DefaultBatchWindow, logger ?? NullLogger.Instance);
        listener._loop = Task.Run(listener.RunAsync);
        return listener;
    }

    /// <summary>Stops listening: cancels the loop, waits for it to end, and unsubscribes. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _subscription.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var reader = _subscription.Changes;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                // Let the burst gather: one render per window at most.
                await Task.Delay(_window, _time, token).ConfigureAwait(false);
                var (batch, gap) = Drain();
                if (batch.Count == 0 && !gap) continue;
                try
                {
                    // Checked again on the renderer: a dispose may have started while this call was queued.
                    await _dispatch(() => token.IsCancellationRequested ? Task.CompletedTask : gap ? _onGap() : _onChanges(batch))
                        .ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The circuit's renderer is gone; so is the reason to listen.
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError(e, "A live status callback failed; later changes are still delivered");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private (List<StatusChange> Batch, bool Gap) Drain()
    {
        var batch = new List<StatusChange>();
        var gap = false;
        while (_subscription.Changes.TryRead(out var change))
        {
            var last = _lastSequence.TryGetValue(change.AgentId, out var delivered) ? delivered
                : _subscription.Snapshot.TryGetValue(change.AgentId, out var state) ? state.Sequence : 0;
            if (change.Sequence <= last) continue;
            if (change.Sequence != last + 1) gap = true;
            _lastSequence[change.AgentId] = change.Sequence;
            batch.Add(change);
        }

        return (batch, gap);
    }
}
