namespace Cutover.Dashboard.Traffic;

/// <summary>
/// One deployment's figures: a ring of 10 s buckets for the last minute and one of 1 min buckets for the last 15
/// (each window includes its current, partial bucket, so it spans between one bucket less than the window and the
/// window itself).
/// </summary>
internal sealed class DeploymentTraffic(Guid agentId, long admittedTicks)
{
    private readonly TrafficRing _minute = new(TimeSpan.FromSeconds(10), TrafficFigures.OneMinute);
    private readonly TrafficRing _quarter = new(TimeSpan.FromMinutes(1), TrafficFigures.FifteenMinutes);
    private long _lastTicks = admittedTicks;
    private long _requests;
    private long _errors;

    public Guid AgentId { get; } = agentId;

    public long LastTicks => Volatile.Read(ref _lastTicks);

    public void Record(long nowTicks, bool failed, int bin)
    {
        Interlocked.Increment(ref _requests);
        if (failed) Interlocked.Increment(ref _errors);
        _minute.Record(nowTicks, failed, bin);
        _quarter.Record(nowTicks, failed, bin);
        // A plain store: the newest of concurrent callers' (nearly equal) times is good enough for idle eviction.
        if (nowTicks > Volatile.Read(ref _lastTicks)) Volatile.Write(ref _lastTicks, nowTicks);
    }

    /// <summary>Calls and errors since this deployment was admitted (guards count from their start by difference).</summary>
    public (long Requests, long Errors) Totals => (Volatile.Read(ref _requests), Volatile.Read(ref _errors));

    public TrafficSnapshot Read(long nowTicks, TimeSpan window)
    {
        var ring = window == TrafficFigures.OneMinute ? _minute : _quarter;
        long requests = 0, errors = 0;
        Span<long> bins = stackalloc long[LatencyBins.Count];
        ring.Sum(nowTicks, ref requests, ref errors, bins);
        long counted = 0;
        foreach (var c in bins) counted += c;
        return new TrafficSnapshot(ring.Window, requests, errors, requests == 0 ? 0 : (double)errors / requests,
            LatencyBins.PercentileMs(bins, counted, 0.50), LatencyBins.PercentileMs(bins, counted, 0.99));
    }
}
