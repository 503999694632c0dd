using System.Collections.Concurrent;
using Cutover.Core.Domain;

namespace Cutover.Core.Health;

/// <summary>
/// The rules of observed health, in memory and free of I/O so they can be tested with a fake clock:
/// a report is the agent's own word; a successful probe means Healthy; <see cref="HealthOptions.UnhealthyAfter"/>
/// consecutive failed probes mean Unhealthy (fewer are inconclusive); with no evidence within the liveness window a
/// status that is not Unknown is stale. It remembers the last status written per target, so that a repeated
/// observation is recognised without touching the database, and when each target was last stamped.
/// Callers hold the target's lock (<see cref="EnterAsync"/>) around a decision and the write that follows it.
/// </summary>
public sealed class HealthTracker(Func<HealthOptions> options)
{
    private readonly ConcurrentDictionary<HealthTarget, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, DateTime> _agentStamps = new();

    public HealthTracker(HealthOptions options)
        : this(() => options)
    {
    }

    /// <summary>Serializes decisions and writes for one target (reports and probes of it may arrive together).</summary>
    public async ValueTask<IDisposable> EnterAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(target, static _ => new Entry());
        await entry.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Status.SemaphoreRelease(entry.Lock);
    }

    /// <summary>A report posted by the agent: it is evidence whatever it says.</summary>
    public HealthDecision Report(HealthTarget target, HealthStatus observed, DateTime now)
    {
        var e = Get(target);
        e.ConsecutiveFailures = 0;
        e.LastEvidenceAt = now;
        return Decide(e, observed, now);
    }

    /// <summary>
    /// A probe result. A failure below the threshold decides nothing (and is not evidence for the current status);
    /// at or above it, it is evidence of Unhealthy, so a deployment that stays down stays Unhealthy, not Unknown.
    /// </summary>
    public HealthDecision Probe(HealthTarget target, bool success, DateTime now)
    {
        var e = Get(target);
        if (success)
        {
            e.ConsecutiveFailures = 0;
            e.LastEvidenceAt = now;
            return Decide(e, HealthStatus.Healthy, now);
        }

        e.ConsecutiveFailures++;
        if (e.ConsecutiveFailures < options().UnhealthyAfter) return HealthDecision.Inconclusive;
        e.LastEvidenceAt = now;
        return Decide(e, HealthStatus.Unhealthy, now);
    }

    /// <summary>Targets whose known status is not Unknown and that have had no evidence within the window.</summary>
    public IReadOnlyList<HealthTarget> StaleTargets(DateTime now) =>
        _entries.Where(kv => IsStale(kv.Value, now)).Select(kv => kv.Key).ToList();

    /// <summary>True when the window has closed on this target's evidence (re-checked under the target's lock).</summary>
    public bool IsStale(HealthTarget target, DateTime now) => _entries.TryGetValue(target, out var e) && IsStale(e, now);

    /// <summary>True when some evidence for this target arrived within the window.</summary>
    public bool HasFreshEvidence(HealthTarget target, DateTime now) =>
        _entries.TryGetValue(target, out var e) && e.LastEvidenceAt is { } at && now - at < options().LivenessWindow;

    /// <summary>The status last written for this target by this process, if any.</summary>
    public HealthStatus? Known(HealthTarget target) => _entries.TryGetValue(target, out var e) ? e.Known : null;

    /// <summary>Records that <paramref name="status"/> is now stored for the target (and its row stamped).</summary>
    public void Written(HealthTarget target, HealthStatus status, DateTime now)
    {
        var e = Get(target);
        e.Known = status;
        e.LastStampAt = now;
    }

    /// <summary>Records a cheap "last seen" stamp.</summary>
    public void Stamped(HealthTarget target, DateTime now) => Get(target).LastStampAt = now;

    /// <summary>
    /// Drops what is known about a target's stored status (it was changed elsewhere, or does not exist), so the
    /// next observation goes through the chokepoint again. Evidence and probe failures are kept.
    /// </summary>
    public void Invalidate(HealthTarget target)
    {
        if (_entries.TryGetValue(target, out var e)) e.Known = null;
    }

    /// <summary>True when the agent's "last seen" was not stamped within the throttle period (and records it).</summary>
    public bool ShouldStampAgent(Guid agentId, DateTime now)
    {
        var throttle = options().LastSeenThrottle;
        while (true)
        {
            if (!_agentStamps.TryGetValue(agentId, out var last))
            {
                if (_agentStamps.TryAdd(agentId, now)) return true;
                continue;
            }

            if (now - last < throttle) return false;
            if (_agentStamps.TryUpdate(agentId, now, last)) return true;
        }
    }

    /// <summary>
    /// Forgets targets that are Unknown and have had no evidence for ten windows (deleted deployments, agents that
    /// went away), so memory follows the live fleet. Returns how many were dropped.
    /// </summary>
    public int Prune(DateTime now)
    {
        var horizon = options().LivenessWindow * 10;
        var dropped = 0;
        foreach (var (target, e) in _entries)
        {
            var idle = e.LastEvidenceAt is not { } at || now - at > horizon;
            if (idle && (e.Known is null or HealthStatus.Unknown) && e.Lock.CurrentCount == 1 && _entries.TryRemove(target, out _))
                dropped++;
        }

        foreach (var (agentId, at) in _agentStamps)
        {
            if (now - at > horizon) _agentStamps.TryRemove(agentId, out _);
        }

        return dropped;
    }

    private HealthDecision Decide(Entry e, HealthStatus observed, DateTime now)
    {
        if (e.Known != observed) return HealthDecision.Transition(observed);
        if (e.LastStampAt is { } last && now - last < options().LastSeenThrottle) return HealthDecision.Unchanged(observed);
        return HealthDecision.Touch(observed);
    }

    private bool IsStale(Entry e, DateTime now) =>
        e.Known is HealthStatus.Healthy or HealthStatus.Unhealthy
        && (e.LastEvidenceAt is not { } at || now - at >= options().LivenessWindow);

    private Entry Get(HealthTarget target) => _entries.GetOrAdd(target, static _ => new Entry());

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public HealthStatus? Known { get; set; }

        public DateTime? LastEvidenceAt { get; set; }

        public DateTime? LastStampAt { get; set; }

        public int ConsecutiveFailures { get; set; }
    }
}
