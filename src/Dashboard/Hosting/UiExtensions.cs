using Cutover.Dashboard.Security;
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
    /// pages, the RPC short path (<see cref="Routing.RpcFastPath"/>: an RPC already known to be allowed is forwarded
    /// here), the cross-origin WebSocket check, rate limits (before authentication, so a flood costs no token lookups),
    /// authentication, authorization, antiforgery.
    /// </summary>
    public static WebApplication UseCutoverPipeline(this WebApplication app)
    {
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
