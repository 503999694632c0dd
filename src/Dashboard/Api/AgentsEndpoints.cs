namespace Cutover.Dashboard.Api;

public static class AgentsEndpoints
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
