using Cutover.Core.Results;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Api;

/// <summary>
/// RPC calls through the control plane: production (by id or name) and preview of one deployment. Operators only
/// (mapped in <see cref="AgentsEndpoints"/>): an agent token or a viewer gets 403. The body and the answer stream
/// through unchanged. The handlers write their answer themselves (they return a plain Task, not an IResult to
/// execute afterwards): one asynchronous step per call between the endpoint and the forwarder.
/// </summary>
public static class RpcEndpoints
{
    public static Task ForwardToProductionAsync(string id, HttpContext context, RouteResolver resolver, RpcForwarder forwarder)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!.ExecuteAsync(context);
        var route = resolver.ResolveProductionAsync(agentId, context.RequestAborted);
        return route.IsCompletedSuccessfully ? ForwardAsync(context, route.Result, forwarder) : AwaitThenForwardAsync(context, route, forwarder);
    }

    public static async Task ForwardToProductionByNameAsync(string name, HttpContext context, RouteResolver resolver, RpcForwarder forwarder) =>
        await ForwardAsync(context, await resolver.ResolveProductionByNameAsync(name, context.RequestAborted), forwarder);

    public static Task ForwardToPreviewAsync(string id, string deploymentId, HttpContext context, RouteResolver resolver,
        RpcForwarder forwarder)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!.ExecuteAsync(context);
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!.ExecuteAsync(context);
        var route = resolver.ResolvePreviewAsync(agentId, depId, context.RequestAborted);
        return route.IsCompletedSuccessfully ? ForwardAsync(context, route.Result, forwarder) : AwaitThenForwardAsync(context, route, forwarder);
    }

    // A cached route resolves synchronously; only a cache miss (a database read) needs a step of its own.
    private static async Task AwaitThenForwardAsync(HttpContext context, ValueTask<Outcome<RouteTarget>> route, RpcForwarder forwarder) =>
        await ForwardAsync(context, await route, forwarder);

    private static Task ForwardAsync(HttpContext context, Outcome<RouteTarget> route, RpcForwarder forwarder) =>
        route.Failure is { } failure ? Problems.From(failure).ExecuteAsync(context) : forwarder.ForwardAsync(context, route.Value!);
}
