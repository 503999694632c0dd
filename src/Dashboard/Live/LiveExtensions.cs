using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Cutover.Dashboard.Live;

public static class LiveExtensions
{
    /// <summary>SignalR, the relay from the status bus to <c>/hubs/status</c>, and the dashboard's data seam.</summary>
    public static WebApplicationBuilder AddCutoverLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddHostedService<StatusHubRelay>();

        // The dashboard's one data seam, one per circuit, and what it listens to besides the status bus.
        builder.Services.AddSingleton<LastSeenFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LastSeenFeed>());
        builder.Services.AddScoped<CircuitConnection>();
        builder.Services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<CircuitConnection>());
        builder.Services.AddScoped<IDashboardClient, DashboardClient>();
        // Its siblings for the admin pages and the operator tools.
        builder.Services.AddScoped<IAccessClient, AccessClient>();
        builder.Services.AddScoped<IAgentToolsClient, AgentToolsClient>();
        return builder;
    }

    /// <summary>Maps the hub; viewers and up, with the same schemes as the API (bearer, or access_token on /hubs).</summary>
    public static IEndpointRouteBuilder MapStatusHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<StatusHub>(StatusHub.Path).RequireAuthorization(Security.Policies.Viewer);
        return endpoints;
    }
}
