using Cutover.Core.Domain;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Security;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// The RPC data plane's short path. Measured on the routing benchmark, the middleware and endpoint machinery between
/// routing and the forwarder (rate limiter, authentication handlers, the authorization services, antiforgery, the
/// minimal-API endpoint) cost about half of Cutover's RPC throughput, more than forwarding itself. Where the
/// outcome of all that is already known, this middleware forwards at once: an RPC route (<see cref="RpcRoute"/>)
/// called with a bearer token that <see cref="TokenCache"/> holds, that has not expired, is not due for its
/// last-used stamp, and carries a role the RPC policy admits (Operator or Admin).
/// </summary>
/// <remarks>
/// Every other request (no token, a token not cached yet, expired, revoked, an agent or viewer token, a cookie,
/// a stamp due) goes down the full pipeline unchanged, which decides exactly as before and fills the cache; so
/// this path only ever skips work whose result is "allowed". Security headers and status code pages run before it.
/// </remarks>
public sealed class RpcFastPath(RequestDelegate next, TokenCache cache, TimeProvider time, RouteResolver resolver, RpcForwarder forwarder,
    RpcFastPathCounter counter)
{
    /// <summary>The role <see cref="RpcEndpoints"/> requires (<see cref="Policies.Operator"/>); Admin includes it.</summary>
    public const Role RequiredRole = Role.Operator;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RpcRoute>() is not { } route || !Admits(context.Request)) return next(context);
        counter.Served();
        return ServeAsync(context, route);
    }

    private bool Admits(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || BearerTokenHandler.ReadToken(request) is not { } token) return false;
        if (cache.Find(TokenSecrets.Hash(token)) is not { } entry) return false;
        var now = time.GetUtcNow().UtcDateTime;
        return entry is { Kind: TokenKind.Personal, Role: { } role }
            && role >= RequiredRole
            && (entry.ExpiresAt is not { } expires || expires > now)
            && !BearerTokenHandler.LastUsedStampDue(entry, now);
    }

    private async Task ServeAsync(HttpContext context, RpcRoute route)
    {
        var values = context.Request.RouteValues;
        var aborted = context.RequestAborted;
        var target = route.Kind switch
        {
            RpcRouteKind.Production => await resolver.ResolveProductionAsync(RouteGuid(values, "id"), aborted),
            RpcRouteKind.ProductionByName => await resolver.ResolveProductionByNameAsync((string)values["name"]!, aborted),
            _ => await resolver.ResolvePreviewAsync(RouteGuid(values, "id"), RouteGuid(values, "deploymentId"), aborted),
        };
        await (await RpcEndpoints.ForwardAsync(context, target, forwarder)).ExecuteAsync(context);
    }

    // The routes' {id:guid} constraints have already checked the format.
    private static Guid RouteGuid(RouteValueDictionary values, string name) => Guid.Parse((string)values[name]!);
}

/// <summary>How many RPCs took <see cref="RpcFastPath"/> (diagnostics and tests).</summary>
public sealed class RpcFastPathCounter
{
    private long _served;

    public long Count => Interlocked.Read(ref _served);

    internal void Served() => Interlocked.Increment(ref _served);
}
