using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Diagnostics;

namespace Cutover.Dashboard.Hosting;

public static class PipelineExtensions
{
    /// <summary>
    /// The request pipeline, in order: the caller's own Connection header (Kestrel may have shortened it), errors,
    /// security headers (on every response, errors included), status code pages (a browser's 404 becomes the Not
    /// found page), routing, the cross-origin check, rate limits (before authentication, so a flood costs no token
    /// lookups), authentication, the cookie caller's cross-site check, authorization, antiforgery. Every request
    /// takes this one path, RPCs included.
    /// </summary>
    public static WebApplication UseCutoverPipeline(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            Routing.ConnectionHeaderCapture.Restore(context);
            return next(context);
        });
        // X-Forwarded-Proto from a trusted proxy (loopback by default) makes the request HTTPS, so cookies get Secure.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // A request the app could not read (a broken chunked body, a body cut short) is the caller's fault:
            // its own 4xx as problem details, not a 500.
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
        }

        app.UseCutoverSecurityHeaders();
        app.UseCutoverStatusCodePages();
        // Routing after the status code pages, so a browser's 404 re-executed as /not-found finds that page.
        app.UseRouting();
        app.UseCutoverOriginCheck();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseCutoverCrossSiteCheck();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
