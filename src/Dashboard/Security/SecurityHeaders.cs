namespace Cutover.Dashboard.Security;

/// <summary>
/// Browser hardening on every response. The CSP fits what the dashboard really loads: its own scripts only (no inline
/// scripts exist; app.js holds the interop helpers), MudBlazor's inline styles (theme variables, style attributes), images and
/// fonts from itself or data: URIs, and the Blazor circuit's WebSocket. Nobody may frame it (clickjacking a Promote
/// button), which also replaces Blazor's own weaker <c>frame-ancestors 'self'</c>.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; form-action 'self'; " +
        "base-uri 'self'; object-src 'none'";

    /// <summary>
    /// The API reference page (Scalar, under <c>/scalar</c>) starts from one inline module script that the package
    /// writes; only its pages allow inline scripts. They show nothing but the OpenAPI document, to viewers.
    /// </summary>
    public static readonly string ReferencePagePolicy = ContentSecurityPolicy.Replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    public static IApplicationBuilder UseCutoverSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ReferencePagePolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return next(context);
        });
}
