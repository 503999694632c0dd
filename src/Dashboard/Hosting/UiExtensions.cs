using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Diagnostics;
using MudBlazor.Services;

namespace Cutover.Dashboard.Hosting;

public static class UiExtensions
{
    public static WebApplicationBuilder AddCutoverUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            // Above the longest Try it request (TryItPanel.MaxRequestLength, UTF-16 worst case) so a large request
            // reaches the server as typed instead of dropping the circuit.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 512 * 1024);
        // Outcomes show bottom right, where they do not cover the page's own actions.
        builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => Api.ApiJson.Configure(o.SerializerOptions));
        return builder;
    }

    /// <summary>
    /// The request pipeline, in order: errors, security headers (on every response, errors included), status code
    /// pages (a browser's 404 becomes the Not found page), routing, the cross-origin check, rate limits (before
    /// authentication, so a flood costs no token lookups), authentication, the cookie caller's cross-site check,
    /// authorization, antiforgery. Every request takes this one path, RPCs included.
    /// </summary>
    public static WebApplication UseCutoverPipeline(this WebApplication app)
    {
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
