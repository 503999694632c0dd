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
