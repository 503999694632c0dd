namespace Cutover.Dashboard.Traffic;

/// <summary>
/// One deployment's RPC traffic over a window (API.md "stats"): requests, errors (a 5xx answer, a transport failure
/// or a timeout), their ratio, and the p50/p99 forwarding latency (null without requests).
/// </summary>
public sealed record TrafficSnapshot(TimeSpan Window, long Requests, long Errors, double ErrorRate, double? P50Ms, double? P99Ms)
{
    public static TrafficSnapshot Empty(TimeSpan window) => new(window, 0, 0, 0, null, null);
}
