namespace Cutover.Dashboard.Api;

public static class DeploymentsEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentsApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
