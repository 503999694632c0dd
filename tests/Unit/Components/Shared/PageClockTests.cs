using Cutover.Dashboard.Components.Shared;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Components.Shared;

/// <summary>The page clock on a manual clock: ticks happen exactly when the time passes the interval.</summary>
public sealed class PageClockTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ManualTimersTimeProvider _time = new();

    [Fact]
    public async Task Tick_IntervalPasses_CallsBackOnTheDispatcherWithTheNewTime()
    {
        var ticks = new List<DateTime>();
        var dispatched = 0;
        await using var clock = PageClock.Start(_time, work =>
        {
            Interlocked.Increment(ref dispatched);
            return work();
        }, now =>
        {
            lock (ticks) ticks.Add(now);
            return Task.CompletedTask;
        }, Interval);
        await WaitUntilAsync(() => _time.PendingTimers == 1);

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Empty(ticks);
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => Count(ticks) == 1);
        _time.Advance(Interval);
        await WaitUntilAsync(() => Count(ticks) == 2);

        Assert.Equal([_time.UtcNow - Interval, _time.UtcNow], ticks);
        Assert.Equal(2, dispatched);
    }

    [Fact]
    public async Task Dispose_StopsTheLoop_NoTickAfterwards()
    {
        var ticks = 0;
        var clock = PageClock.Start(_time, work => work(), _ =>
        {
            Interlocked.Increment(ref ticks);
            return Task.CompletedTask;
        }, Interval);
        await WaitUntilAsync(() => _time.PendingTimers == 1);

        await clock.DisposeAsync();
        _time.Advance(Interval * 3);

        Assert.True(clock.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, ticks);
        await clock.DisposeAsync(); // twice is fine
    }

    [Fact]
    public async Task Tick_CallbackThrows_NextTickStillRuns()
    {
        var calls = 0;
        await using var clock = PageClock.Start(_time, work => work(), _ =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database away") : Task.CompletedTask, Interval);
        await WaitUntilAsync(() => _time.PendingTimers == 1);

        _time.Advance(Interval);
        await WaitUntilAsync(() => Volatile.Read(ref calls) == 1);
        _time.Advance(Interval);
        await WaitUntilAsync(() => Volatile.Read(ref calls) == 2);

        Assert.False(clock.Completion.IsCompleted);
    }

    [Fact]
    public async Task Tick_RendererGone_LoopEnds()
    {
        var clock = PageClock.Start(_time, _ => throw new ObjectDisposedException("renderer"), _ => Task.CompletedTask, Interval);
        await WaitUntilAsync(() => _time.PendingTimers == 1);

        _time.Advance(Interval);

        await clock.Completion.WaitAsync(Wait);
        await clock.DisposeAsync();
    }

    private static int Count(List<DateTime> ticks)
    {
        lock (ticks) return ticks.Count;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, deadline.Token);
        }
    }
}
