using Cutover.Core.Results;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Api;

/// <summary>
/// RPC calls through the control plane: production (by id or name) and preview of one deployment. Operators only
/// (mapped in <see cref="AgentsEndpoints"/>): an agent token or a viewer gets 403. The body and the answer stream
/// through unchanged.
/// </summary>
public static class RpcEndpoints
{
    public static async Task<IResult> ForwardToProductionAsync(string id, HttpContext context, RouteResolver resolver, RpcForwarder forwarder)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        return await ForwardAsync(context, await resolver.ResolveProductionAsync(agentId, context.RequestAborted), forwarder);
    }

    public static async Task<IResult> ForwardToProductionByNameAsync(string name, HttpContext context, RouteResolver resolver, RpcForwarder forwarder) =>
        await ForwardAsync(context, await resolver.ResolveProductionByNameAsync(name, context.RequestAborted), forwarder);

    public static async Task<IResult> ForwardToPreviewAsync(string id, string deploymentId, HttpContext context, RouteResolver resolver,
        RpcForwarder forwarder)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        return await ForwardAsync(context, await resolver.ResolvePreviewAsync(agentId, depId, context.RequestAborted), forwarder);
    }

    private static async Task<IResult> ForwardAsync(HttpContext context, Outcome<RouteTarget> route, RpcForwarder forwarder)
    {
        if (route.Failure is { } failure) return Problems.From(failure);
        await forwarder.ForwardAsync(context, route.Value!);
        return Results.Empty;
    }
}
