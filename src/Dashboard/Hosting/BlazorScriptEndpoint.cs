namespace Cutover.Dashboard.Hosting;

/// <summary>
/// Serves _framework/blazor.web.js from the copy the build extracted (see build/BlazorScript.targets). When the app
/// is built with the official assets package instead, the framework serves the script and this maps nothing.
/// </summary>
public static class BlazorScriptEndpoint
{
    public static IEndpointRouteBuilder MapBlazorScript(this IEndpointRouteBuilder endpoints)
    {
#if CUTOVER_BLAZOR_SCRIPT_FROM_PACKAGE
        var path = Path.Combine(AppContext.BaseDirectory, "blazor", "blazor.web.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Blazor's script was not produced by the build: {path} is missing.");
        }

        endpoints.MapGet("/_framework/blazor.web.js", (HttpContext ctx) =>
            {
                ctx.Response.Headers.CacheControl = "no-cache";
                return Results.File(path, "text/javascript", enableRangeProcessing: false);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
#endif
        return endpoints;
    }
}
