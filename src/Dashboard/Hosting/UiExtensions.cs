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
}
