using System.Diagnostics.Metrics;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Metrics;

/// <summary>
/// Cutover's own instruments (meter <c>Cutover</c>), exported at <c>/metrics</c> beside ASP.NET Core's and the
/// runtime's. Each is recorded at one obvious point: status changes where the bus hands them out
/// (<see cref="StatusChangeCounter"/>), RPCs where the forwarder finishes a request, probes where the probe worker
/// gets a result.
/// </summary>
public sealed class CutoverMetrics
{
    public const string MeterName = "Cutover";

    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _rpcRequests;
    private readonly Counter<long> _rpcErrors;
    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _probes;

    public CutoverMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _statusChanges = meter.CreateCounter<long>("cutover.status.changes", "{change}",
            "Committed status changes, by field and event kind.");
        _rpcRequests = meter.CreateCounter<long>("cutover.rpc.requests", "{request}",
            "RPC requests forwarded to agents, by agent and deployment.");
        _rpcErrors = meter.CreateCounter<long>("cutover.rpc.errors", "{request}",
            "Forwarded RPC requests that failed (a 5xx answer, a transport failure or a timeout), by agent and deployment.");
        _rpcDuration = meter.CreateHistogram<double>("cutover.rpc.duration", "s",
            "Time to forward an RPC request and stream its answer, by agent and deployment.");
        _probes = meter.CreateCounter<long>("cutover.health.probes", "{probe}",
            "Active health probes of agents' /healthz, by outcome (success or failure).");
    }

    public void StatusChanged(string field, EventKind kind) =>
        _statusChanges.Add(1, new("field", field), new("kind", kind.ToString()));

    public void RpcFinished(Guid agentId, string deployment, bool failed, TimeSpan elapsed)
    {
        var agent = new KeyValuePair<string, object?>("agent", agentId.ToString());
        var served = new KeyValuePair<string, object?>("deployment", deployment);
        _rpcRequests.Add(1, agent, served);
        if (failed) _rpcErrors.Add(1, agent, served);
        _rpcDuration.Record(elapsed.TotalSeconds, agent, served);
    }

    public void ProbeFinished(bool success) =>
        _probes.Add(1, new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
}
