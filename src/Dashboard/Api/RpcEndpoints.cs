using System.Text.Json;
using Cutover.Core.Results;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.Metadata;

namespace Cutover.Dashboard.Api;

/// <summary>
/// RPC calls through the control plane: production (by id or name) and preview of one deployment. Operators only:
/// an agent token or a viewer gets 403. The body and the answer stream through unchanged.
/// </summary>
public static class RpcEndpoints
{
    public static IEndpointRouteBuilder MapRpcApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/agents").RequireAuthorization(Policies.Operator).WithTags("RPC")
            // For the OpenAPI document: any JSON-RPC body in, the agent's answer out.
            .WithMetadata(new AcceptsMetadata(["application/json"], typeof(JsonElement)),
                new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JsonElement), ["application/json"]));
        // The metadata lets RpcFastPath serve a call whose authorization is already known; the endpoints serve the rest.
        group.MapPost("/{id:guid}/rpc", ForwardToProductionAsync).WithMetadata(new RpcRoute(RpcRouteKind.Production));
        group.MapPost("/by-name/{name}/rpc", ForwardToProductionByNameAsync).WithMetadata(new RpcRoute(RpcRouteKind.ProductionByName));
        group.MapPost("/{id:guid}/deployments/{deploymentId:guid}/rpc", ForwardToPreviewAsync).WithMetadata(new RpcRoute(RpcRouteKind.Preview));
        return endpoints;
    }

    public static async Task<IResult> ForwardToProductionAsync(Guid id, HttpContext context, RouteResolver resolver, RpcForwarder forwarder) =>
        await ForwardAsync(context, await resolver.ResolveProductionAsync(id, context.RequestAborted), forwarder);

    public static async Task<IResult> ForwardToProductionByNameAsync(string name, HttpContext context, RouteResolver resolver, RpcForwarder forwarder) =>
        await ForwardAsync(context, await resolver.ResolveProductionByNameAsync(name, context.RequestAborted), forwarder);

    public static async Task<IResult> ForwardToPreviewAsync(Guid id, Guid deploymentId, HttpContext context, RouteResolver resolver,
        RpcForwarder forwarder) =>
        await ForwardAsync(context, await resolver.ResolvePreviewAsync(id, deploymentId, context.RequestAborted), forwarder);

    internal static async Task<IResult> ForwardAsync(HttpContext context, Outcome<RouteTarget> route, RpcForwarder forwarder)
    {
        if (route.Failure is { } failure) return Problems.From(failure);
        await forwarder.ForwardAsync(context, route.Value!);
        return Results.Empty;
    }
}
