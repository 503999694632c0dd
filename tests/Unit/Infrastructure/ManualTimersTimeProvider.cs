namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// A clock that moves only when the test says so, and whose timers fire only then too. Timers (Task.Delay, PeriodicTimer, CancellationTokenSource
/// deadlines created with this provider) fire inside <see cref="Advance"/>.
/// </summary>
public sealed class ManualTimersTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualTimersTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Timers waiting to fire (a listener waiting out its batch window holds one).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock) return _timers.Count(t => t.DueAt is not null);
        }
    }

    /// <summary>True when some one-shot timer fires within <paramref name="span"/> from now (e.g. a batch window).</summary>
    public bool HasOneShotTimerWithin(TimeSpan span)
    {
        lock (_lock) return _timers.Any(t => t.Period == TimeSpan.Zero && t.DueAt is { } at && at <= _now + span);
    }

    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt is { } at && at <= _now).ToList();
            foreach (var t in due) t.DueAt = t.Period > TimeSpan.Zero ? _now + t.Period : null;
        }

        foreach (var t in due) t.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimersTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            }

            if (dueTime == TimeSpan.Zero) owner.Advance(TimeSpan.Zero);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
