using Cutover.Dashboard.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Refuses (403) requests to the Blazor circuit (<c>/_blazor</c>) and the SignalR hubs (<c>/hubs/*</c>) whose
/// Origin names another site. Browsers attach cookies to cross-site WebSocket handshakes, and neither CORS nor the
/// SameSite cookie reliably covers them, so without this a page elsewhere could drive a signed-in operator's
/// circuit. Clients without an Origin header (agents, scripts) are not browsers and authenticate with tokens.
/// </summary>
public static class OriginCheck
{
    public static IApplicationBuilder UseCutoverOriginCheck(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (IsGuarded(context.Request.Path) && IsForeign(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });

    /// <summary>
    /// Refuses (403) a state-changing API call (anything but GET, HEAD, OPTIONS under <c>/api</c>) that the sign-in
    /// cookie alone authenticates, unless it proves it comes from this site: an <c>Origin</c> naming this host and
    /// port, or a valid antiforgery token (header <c>RequestVerificationToken</c>). Browsers attach the cookie to a
    /// form posted from another site, or another port of this host (SameSite treats ports as the same site), so
    /// without this such a form could promote a deployment. Bearer calls carry no ambient credential and pass.
    /// Runs after authentication, so it knows which scheme authenticated the caller.
    /// </summary>
    public static IApplicationBuilder UseCutoverCrossSiteCheck(this IApplicationBuilder app) =>
        // Not async for the calls it lets through at once (every bearer call): no state machine per request.
        app.Use((context, next) => IsCookieWrite(context) && !IsSameOrigin(context.Request) ? CheckAntiforgeryAsync(context, next) : next(context));

    private static async Task CheckAntiforgeryAsync(HttpContext context, RequestDelegate next)
    {
        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await Problems.Forbidden("A signed-in browser call that changes something must come from this site: send a same-origin " +
                "Origin header or the antiforgery token.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsCookieWrite(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };

    private static bool IsSameOrigin(HttpRequest request) => !string.IsNullOrEmpty(request.Headers.Origin.ToString()) && !IsForeign(request);

    public static bool IsGuarded(PathString path) => path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/hubs");

    /// <summary>True when an Origin header is present and its host:port differs from the request's Host.</summary>
    public static bool IsForeign(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return false;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return true; // "null" (sandboxed frames, file:) and anything unparsable is not this site.

        var host = request.Host;
        if (!host.HasValue) return true;
        // The browser reached us with the origin's scheme, so a Host without a port means that scheme's default
        // port (true behind a TLS-terminating proxy too, where the request itself looks like plain http).
        var defaultPort = uri.Scheme == Uri.UriSchemeHttps ? 443 : 80;
        return !string.Equals(uri.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != (host.Port ?? defaultPort);
    }
}
