using System.Collections.Concurrent;
using Cutover.Dashboard.Routing;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Traffic;

/// <summary>
/// Per-deployment RPC traffic figures, in memory: fed by <see cref="RpcForwarder"/> for every forwarded call
/// (production and preview alike), read by the stats endpoint and <c>/metrics</c>. At most
/// <see cref="RoutingOptions.TrafficFiguresMaxDeployments"/> deployments are tracked; a new one past that evicts the
/// one idle longest, so memory stays bounded (each holds a fixed set of buckets, about 20 KiB).
/// </summary>
public sealed class TrafficFigures(TimeProvider time, IOptionsMonitor<RoutingOptions> options)
{
    public static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);

    /// <summary>The windows figures are kept for.</summary>
    public static IReadOnlyList<TimeSpan> Windows { get; } = [OneMinute, FifteenMinutes];

    private readonly ConcurrentDictionary<Guid, DeploymentTraffic> _deployments = new();

    /// <summary>When this node began counting: calls before it (before a restart) are not known.</summary>
    public DateTime CountingSince { get; } = time.GetUtcNow().UtcDateTime;
    private readonly Lock _admitting = new();

    public int Tracked => _deployments.Count;

    public void Record(Guid agentId, Guid deploymentId, bool failed, TimeSpan elapsed)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (!_deployments.TryGetValue(deploymentId, out var traffic)) traffic = Admit(agentId, deploymentId, now);
        traffic.Record(now, failed, LatencyBins.Of(elapsed));
    }

    /// <summary>The figures over <paramref name="window"/> (one of <see cref="Windows"/>); zeros for a deployment with no traffic.</summary>
    public TrafficSnapshot Read(Guid deploymentId, TimeSpan window)
    {
        if (window != OneMinute && window != FifteenMinutes) throw new ArgumentOutOfRangeException(nameof(window), window, "Figures are kept for 1 and 15 minutes.");
        return _deployments.TryGetValue(deploymentId, out var traffic)
            ? traffic.Read(time.GetUtcNow().UtcTicks, window)
            : TrafficSnapshot.Empty(window);
    }

    /// <summary>Requests and errors per minute over the last 15 (all zero for a deployment with no traffic).</summary>
    public TrafficSeries Series(Guid deploymentId) =>
        _deployments.TryGetValue(deploymentId, out var traffic) ? traffic.Series(time.GetUtcNow().UtcTicks) : TrafficSeries.Empty;

    /// <summary>
    /// When this node last forwarded an RPC to the deployment, or null when it has none on record (never, or
    /// forgotten past the cap). Per node: on several nodes each knows only the calls it forwarded.
    /// </summary>
    public DateTime? LastRequestAt(Guid deploymentId) =>
        _deployments.TryGetValue(deploymentId, out var traffic) ? new DateTime(traffic.LastTicks, DateTimeKind.Utc) : null;

    /// <summary>
    /// Deployments that had calls since the last time this was asked, with their newest call, marking them stamped
    /// (one caller: the stamp worker). A stamp that could not be written is simply written at the next call after it.
    /// </summary>
    public List<(Guid DeploymentId, DateTime LastRequestAt)> TakeUnstamped()
    {
        var due = new List<(Guid, DateTime)>();
        foreach (var (id, t) in _deployments)
        {
            var last = t.LastTicks;
            if (last <= t.StampedTicks) continue;
            t.StampedTicks = last;
            due.Add((id, new DateTime(last, DateTimeKind.Utc)));
        }

        return due;
    }

    /// <summary>
    /// Every call and error counted for the deployment since it was admitted, with the counter they come from: a
    /// different <see cref="TrafficTotals.Counter"/> means the deployment was evicted and counted afresh since.
    /// </summary>
    public TrafficTotals Totals(Guid deploymentId)
    {
        if (!_deployments.TryGetValue(deploymentId, out var traffic)) return default;
        var (requests, errors) = traffic.Totals;
        return new TrafficTotals(traffic, requests, errors);
    }

    /// <summary>Every tracked deployment with its agent (for <c>/metrics</c>).</summary>
    public IEnumerable<(Guid AgentId, Guid DeploymentId)> Deployments() =>
        _deployments.Select(kv => (kv.Value.AgentId, kv.Key));

    private DeploymentTraffic Admit(Guid agentId, Guid deploymentId, long now)
    {
        lock (_admitting)
        {
            if (_deployments.TryGetValue(deploymentId, out var existing)) return existing;
            var cap = Math.Max(1, options.CurrentValue.TrafficFiguresMaxDeployments);
            if (_deployments.Count >= cap)
            {
                // Everything idle past the longest window holds nothing any more; if none is, the one idle longest goes.
                var idle = now - FifteenMinutes.Ticks;
                foreach (var (id, t) in _deployments)
                {
                    if (t.LastTicks < idle) _deployments.TryRemove(id, out _);
                }

                while (_deployments.Count >= cap)
                {
                    var oldest = _deployments.MinBy(kv => kv.Value.LastTicks).Key;
                    _deployments.TryRemove(oldest, out _);
                }
            }

            var traffic = new DeploymentTraffic(agentId, now);
            _deployments[deploymentId] = traffic;
            return traffic;
        }
    }
}
