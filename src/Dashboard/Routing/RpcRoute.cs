namespace Cutover.Dashboard.Routing;

/// <summary>Endpoint metadata naming an RPC route, so <see cref="RpcFastPath"/> can serve it without the endpoint.</summary>
public sealed record RpcRoute(RpcRouteKind Kind);

public enum RpcRouteKind
{
    /// <summary><c>/api/agents/{id}/rpc</c></summary>
    Production,

    /// <summary><c>/api/agents/by-name/{name}/rpc</c></summary>
    ProductionByName,

    /// <summary><c>/api/agents/{id}/deployments/{deploymentId}/rpc</c></summary>
    Preview,
}
