using Cutover.Dashboard.Security;
using Radzen;

namespace Cutover.Dashboard.Hosting;

public static class UiExtensions
{
    public static WebApplicationBuilder AddCutoverUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddRadzenCookieThemeService(o =>
        {
            o.Name = Components.App.ThemeCookie;
            o.Duration = TimeSpan.FromDays(365);
        });
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => Api.ApiJson.Configure(o.SerializerOptions));
        return builder;
    }

    /// <summary>
    /// The request pipeline, in order: errors, security headers (on every response, errors included), status code
    /// pages, the RPC short path (<see cref="Routing.RpcFastPath"/>: an RPC already known to be allowed is forwarded
    /// here), the cross-origin WebSocket check, rate limits (before authentication, so a flood costs no token lookups),
    /// authentication, authorization, antiforgery.
    /// </summary>
    public static WebApplication UseCutoverPipeline(this WebApplication app)
    {
        // X-Forwarded-Proto from a trusted proxy (loopback by default) makes the request HTTPS, so cookies get Secure.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }

        app.UseCutoverSecurityHeaders();
        app.UseStatusCodePages();
        app.UseMiddleware<Routing.RpcFastPath>();
        app.UseCutoverOriginCheck();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
