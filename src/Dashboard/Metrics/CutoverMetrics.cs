using System.Diagnostics.Metrics;
using Cutover.Core.Domain;
using Cutover.Dashboard.Traffic;

namespace Cutover.Dashboard.Metrics;

/// <summary>
/// Cutover's own instruments (meter <c>Cutover</c>), exported at <c>/metrics</c> beside ASP.NET Core's and the
/// runtime's. Each is recorded at one obvious point: status changes where the bus hands them out
/// (<see cref="StatusChangeCounter"/>), RPCs where the forwarder finishes a request, probes where the probe worker
/// gets a result. The windowed gauges (<c>cutover.rpc.window.*</c>) are read from <see cref="TrafficFigures"/> at
/// scrape time, one series per tracked deployment (their number is capped) and window.
/// </summary>
public sealed class CutoverMetrics
{
    public const string MeterName = "Cutover";

    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _rpcRequests;
    private readonly Counter<long> _rpcErrors;
    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _probes;

    /// <summary>Forwarding latency buckets in seconds, from half a millisecond (a loopback agent) to two minutes.</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public CutoverMetrics(IMeterFactory meters, TrafficFigures figures)
    {
        var meter = meters.Create(MeterName);
        _statusChanges = meter.CreateCounter<long>("cutover.status.changes", "{change}",
            "Committed status changes, by field and event kind.");
        _rpcRequests = meter.CreateCounter<long>("cutover.rpc.requests", "{request}",
            "RPC requests forwarded to agents, by agent and deployment.");
        _rpcErrors = meter.CreateCounter<long>("cutover.rpc.errors", "{request}",
            "Forwarded RPC requests that failed (a 5xx answer, a transport failure or a timeout), by agent and deployment.");
        // Without advice the exporter's default buckets (0, 5, 10, 25... meant for milliseconds) put every RPC in the first.
        _rpcDuration = meter.CreateHistogram<double>("cutover.rpc.duration", "s",
            "Time to forward an RPC request and stream its answer, by agent and deployment.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge("cutover.rpc.window.requests", () => Windowed(figures, s => s.Requests), "{request}",
            "RPC requests forwarded to a deployment over the last minute or 15 minutes (window label 1m or 15m).");
        meter.CreateObservableGauge("cutover.rpc.window.errors", () => Windowed(figures, s => s.Errors), "{request}",
            "Failed RPC requests (5xx, transport failure, timeout) of a deployment over the last 1m or 15m.");
        meter.CreateObservableGauge("cutover.rpc.window.latency.p50", () => Windowed(figures, s => s.P50Ms / 1000), "s",
            "Median forwarding latency of a deployment over the last 1m or 15m (absent without requests).");
        meter.CreateObservableGauge("cutover.rpc.window.latency.p99", () => Windowed(figures, s => s.P99Ms / 1000), "s",
            "99th percentile forwarding latency of a deployment over the last 1m or 15m (absent without requests).");
        _probes = meter.CreateCounter<long>("cutover.health.probes", "{probe}",
            "Active health probes of agents' /healthz, by outcome (success or failure).");
    }

    public void StatusChanged(string field, EventKind kind) =>
        _statusChanges.Add(1, new("field", field), new("kind", kind.ToString()));

    /// <summary>One forwarded RPC; <paramref name="agentId"/> is the agent's id as text (<see cref="Routing.RouteTarget.AgentLabel"/>).</summary>
    public void RpcFinished(string agentId, string deployment, bool failed, TimeSpan elapsed)
    {
        var agent = new KeyValuePair<string, object?>("agent", agentId);
        var served = new KeyValuePair<string, object?>("deployment", deployment);
        _rpcRequests.Add(1, agent, served);
        if (failed) _rpcErrors.Add(1, agent, served);
        _rpcDuration.Record(elapsed.TotalSeconds, agent, served);
    }

    private static IEnumerable<Measurement<double>> Windowed(TrafficFigures figures, Func<TrafficSnapshot, double?> value)
    {
        foreach (var (agentId, deploymentId) in figures.Deployments())
        {
            foreach (var window in TrafficFigures.Windows)
            {
                if (value(figures.Read(deploymentId, window)) is not { } v) continue;
                yield return new Measurement<double>(v, new("agent", agentId.ToString()), new("deployment", deploymentId.ToString()),
                    new("window", window == TrafficFigures.OneMinute ? "1m" : "15m"));
            }
        }
    }

    public void ProbeFinished(bool success) =>
        _probes.Add(1, new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
}
