namespace Cutover.Dashboard.Live;

public static class LiveExtensions
{
    /// <summary>SignalR and the relay from the status bus to <c>/hubs/status</c>.</summary>
    public static WebApplicationBuilder AddCutoverLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddHostedService<StatusHubRelay>();
        return builder;
    }

    /// <summary>Maps the hub; viewers and up, with the same schemes as the API (bearer, or access_token on /hubs).</summary>
    public static IEndpointRouteBuilder MapStatusHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<StatusHub>(StatusHub.Path).RequireAuthorization(Security.Policies.Viewer);
        return endpoints;
    }
}
