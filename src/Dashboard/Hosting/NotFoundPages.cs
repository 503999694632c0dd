using Microsoft.AspNetCore.Diagnostics;

namespace Cutover.Dashboard.Hosting;

/// <summary>
/// Status code pages: a browser asking for a page that does not exist gets the designed Not found page with a 404
/// (the request re-executed as <c>/not-found</c>); everything else (the API, the hub, scrapers, any other status)
/// keeps getting problem details.
/// </summary>
public static class NotFoundPages
{
    public const string Path = "/not-found";

    // Addresses that never answer with a page, whoever asks.
    private static readonly PathString[] MachinePaths = ["/api", "/hubs", "/_blazor", "/_framework", "/_content", "/metrics", "/openapi", "/scalar", "/healthz"];

    public static WebApplication UseCutoverStatusCodePages(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseWhen(IsBrowserPageRequest, page =>
        {
            page.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true);
            // Only a 404 becomes the page: a refusal or a limit on a page address stays problem details (the outer
            // middleware answers it once this one stands aside).
            page.Use(async (context, next) =>
            {
                await next(context);
                if (context.Response.StatusCode != StatusCodes.Status404NotFound && context.Features.Get<IStatusCodePagesFeature>() is { } feature)
                    feature.Enabled = false;
            });
        });
        return app;
    }

    private static bool IsBrowserPageRequest(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        if (MachinePaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return false;
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
