using Cutover.Core.Domain;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Health;

using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Security;

namespace Cutover.Tests.Unit.Live;

/// <summary>Drives the listener through a real <see cref="StatusBus"/> on a manual clock: batching is deterministic.</summary>
public sealed class LiveStatusListenerTests : IAsyncDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ManualTimersTimeProvider _time = new();
    private readonly StatusBus _bus = new();
    private readonly Guid _agent = Guid.NewGuid();
    private readonly List<IReadOnlyList<StatusChange>> _batches = [];
    private readonly Lock _lock = new();
    private int _gaps;
    private int _dispatched;
    private LiveStatusListener? _listener;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null) await _listener.DisposeAsync();
    }

    [Fact]
    public void Start_SnapshotHoldsCurrentStates()
    {
        _bus.Seed([new AgentLiveState(_agent, "a", HealthStatus.Healthy, SyncStatus.Synced, null, 7)]);
        Start();
        Assert.Equal(7, _listener!.Snapshot[_agent].Sequence);
    }

    [Fact]
    public async Task Burst_IsDeliveredAsOneBatchAfterTheWindow_OnTheDispatcher()
    {
        Start();
        for (var s = 1; s <= 50; s++) Publish(s);

        await WaitForTimerAsync();
        _time.Advance(Window / 2);
        Assert.Empty(Batches());
        _time.Advance(Window / 2);

        await WaitUntilAsync(() => Batches().Count == 1);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), Batches()[0].Select(c => c.Sequence));
        Assert.Equal(1, Volatile.Read(ref _dispatched));
    }

    [Fact]
    public async Task SteadyStream_RendersAtMostOncePerWindow()
    {
        Start();
        for (var round = 1; round <= 5; round++)
        {
            Publish(round * 2 - 1);
            Publish(round * 2);
            await WaitForTimerAsync();
            _time.Advance(Window);
            await WaitUntilAsync(() => Batches().Count == round);
        }

        Assert.All(Batches(), b => Assert.Equal(2, b.Count));
    }

    [Fact]
    public async Task SequenceGap_AsksForAReloadInsteadOfApplyingTheBatch()
    {
        _bus.Seed([new AgentLiveState(_agent, "a", HealthStatus.Unknown, SyncStatus.Unknown, null, 2)]);
        Start();
        Publish(3);
        Publish(5);
        await WaitForTimerAsync();
        _time.Advance(Window);
        await WaitUntilAsync(() => Volatile.Read(ref _gaps) == 1);
        Assert.Empty(Batches());

        // After the reload the stream continues from what was seen.
        Publish(6);
        await WaitForTimerAsync();
        _time.Advance(Window);
        await WaitUntilAsync(() => Batches().Count == 1);
        Assert.Equal(6, Assert.Single(Batches()[0]).Sequence);
    }

    [Fact]
    public async Task DuplicateOrOlderChange_IsDropped()
    {
        _bus.Seed([new AgentLiveState(_agent, "a", HealthStatus.Unknown, SyncStatus.Unknown, null, 4)]);
        Start();
        Publish(4);
        Publish(5);
        Publish(5);
        await WaitForTimerAsync();
        _time.Advance(Window);
        await WaitUntilAsync(() => Batches().Count == 1);
        Assert.Equal([5L], Batches()[0].Select(c => c.Sequence));
        Assert.Equal(0, Volatile.Read(ref _gaps));
    }

    [Fact]
    public async Task DisposeAsync_CancelsAndAwaitsTheLoop_AndUnsubscribes()
    {
        Start();
        Publish(1);
        await WaitForTimerAsync();

        await _listener!.DisposeAsync();

        Assert.True(_listener.Completion.IsCompletedSuccessfully);
        _time.Advance(Window);
        Publish(2);
        Assert.Empty(Batches());
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task FailingCallback_IsReported_AndLaterChangesStillArrive()
    {
        var calls = 0;
        using var logs = new LogCapture();
        _listener = LiveStatusListener.Start(_bus, null, work => work(), batch =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("page bug");
            lock (_lock) _batches.Add(batch);
            return Task.CompletedTask;
        }, () => Task.CompletedTask, _time, Window, logs.CreateLogger("live"));

        Publish(1);
        await WaitForTimerAsync();
        _time.Advance(Window);
        await WaitUntilAsync(() => logs.Lines.Any(l => l.StartsWith("Error live:", StringComparison.Ordinal) && l.Contains("page bug")));
        Publish(2);
        await WaitForTimerAsync();
        _time.Advance(Window);
        await WaitUntilAsync(() => Batches().Count == 1);
        Assert.Equal(2, Assert.Single(Batches()).Single().Sequence);
        Assert.Single(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneAgent_OtherAgentsChanges_AreNotDelivered()
    {
        // The agent page listens to its own agent only.
        var other = Guid.NewGuid();
        Start(_agent);
        Publish(1, other);
        Publish(1);
        await WaitForTimerAsync();
        _time.Advance(Window);

        await WaitUntilAsync(() => Batches().Count == 1);
        Assert.Equal(_agent, Assert.Single(Batches()[0]).AgentId);
        Assert.Equal(0, Volatile.Read(ref _gaps));
    }

    [Fact]
    public async Task RendererGone_EndsTheLoopWithoutFaulting()
    {
        // A closed circuit's InvokeAsync throws ObjectDisposedException: nothing is left to update.
        _listener = LiveStatusListener.Start(_bus, null, _ => throw new ObjectDisposedException("renderer"),
            _ => Task.CompletedTask, () => Task.CompletedTask, _time, Window);
        Publish(1);
        await WaitForTimerAsync();
        _time.Advance(Window);

        await _listener.Completion.WaitAsync(Wait);
        Assert.True(_listener.Completion.IsCompletedSuccessfully);
    }

    private void Start(Guid? agentId = null) =>
        _listener = LiveStatusListener.Start(_bus, agentId,
            work =>
            {
                Interlocked.Increment(ref _dispatched);
                return work();
            },
            batch =>
            {
                lock (_lock) _batches.Add(batch);
                return Task.CompletedTask;
            },
            () =>
            {
                Interlocked.Increment(ref _gaps);
                return Task.CompletedTask;
            },
            _time, Window);

    private void Publish(long sequence, Guid? agentId = null)
    {
        var agent = agentId ?? _agent;
        _bus.Publish(new AgentLiveState(agent, "a", HealthStatus.Healthy, SyncStatus.Unknown, null, sequence),
            [new StatusChange(agent, null, StatusField.Health, "Unknown", "Healthy", sequence, _time.UtcNow, EventKind.HealthChanged, "test", null)]);
    }

    private List<IReadOnlyList<StatusChange>> Batches()
    {
        lock (_lock) return [.. _batches];
    }

    private Task WaitForTimerAsync() => WaitUntilAsync(() => _time.PendingTimers > 0);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Yield();
            await Task.Delay(5, deadline.Token);
        }
    }
}
