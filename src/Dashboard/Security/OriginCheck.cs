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
