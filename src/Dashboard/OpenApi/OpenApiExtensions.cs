using Cutover.Dashboard.Security;
using Scalar.AspNetCore;

namespace Cutover.Dashboard.OpenApi;

public static class OpenApiExtensions
{
    /// <summary><c>Cutover:OpenApi:Anonymous</c>: serve the document and its reference page without sign-in.</summary>
    public const string AnonymousKey = "Cutover:OpenApi:Anonymous";

    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// The OpenAPI document of the HTTP API (API.md in machine-readable form): request and response schemas from the
    /// handlers' typed results, problem details for every error, and the bearer scheme on every protected operation.
    /// </summary>
    public static WebApplicationBuilder AddCutoverOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<CutoverDocumentTransformer>();
            o.AddOperationTransformer<ProblemAndSecurityTransformer>();
        });
        return builder;
    }

    /// <summary><c>/openapi/v1.json</c> and the Scalar reference at <c>/scalar</c>: viewers, unless <see cref="AnonymousKey"/> is set.</summary>
    public static IEndpointRouteBuilder MapCutoverOpenApi(this IEndpointRouteBuilder endpoints)
    {
        var anonymous = endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(AnonymousKey);
        foreach (var map in new[] { endpoints.MapOpenApi(), endpoints.MapScalarApiReference(o => o.WithTitle("Cutover API")) })
        {
            if (anonymous) map.AllowAnonymous();
            else map.RequireAuthorization(Policies.Viewer);
        }

        return endpoints;
    }
}
