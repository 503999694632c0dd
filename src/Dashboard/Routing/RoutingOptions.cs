namespace Cutover.Dashboard.Routing;

/// <summary><c>Cutover:Routing</c>: how RPC calls are forwarded to agents.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Cutover:Routing";

    /// <summary>
    /// How long the forwarder waits for the agent without any activity (response headers, or the next piece of a
    /// streamed body) before answering 504. A streamed response may run longer as long as it keeps producing.
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How long opening a connection to an agent may take before the call fails with 502.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An idle pooled connection is closed after this long.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A pooled connection is retired after this long, so a host name whose address changed is resolved again
    /// (a redeployed agent behind the same name).
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on cached routes (agent × deployment); the cache starts over when it is reached.</summary>
    public int RouteCacheCapacity { get; set; } = 10_000;

    /// <summary>The "Try it" panel reads at most this many bytes of a response body.</summary>
    public int TryItMaxResponseBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Keep per-deployment traffic figures (requests, errors, p50/p99 over 1 and 15 minutes) for every forwarded RPC:
    /// the stats endpoint, <c>/metrics</c> and guarded promotion read them. Off only to measure what they cost.
    /// </summary>
    public bool TrafficFigures { get; set; } = true;

    /// <summary>Upper bound on deployments with traffic figures; past it the one idle longest is forgotten.</summary>
    public int TrafficFiguresMaxDeployments { get; set; } = 1000;
}
