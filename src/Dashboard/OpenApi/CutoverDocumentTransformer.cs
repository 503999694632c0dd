using Cutover.Dashboard.Metrics;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cutover.Dashboard.OpenApi;

/// <summary>
/// The document's title, the bearer scheme (API tokens; people use the sign-in cookie), and <c>/metrics</c>, which
/// the exporter maps as a plain request delegate that the endpoint explorer cannot see.
/// </summary>
internal sealed class CutoverDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Cutover API";
        document.Info.Description = "Control plane for AI-agent deployments. Errors are RFC 9457 problem details.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token: Authorization: Bearer cut_... (POST /api/tokens creates one).",
        };

        document.Paths ??= new OpenApiPaths();
        document.Paths[MetricsExtensions.Path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "Metrics",
                    Summary = "Prometheus text exposition of ASP.NET Core, runtime and Cutover metrics.",
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The metrics",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                        ["401"] = Problem("Not signed in (unless Cutover:Metrics:Anonymous is set)", document),
                        ["403"] = Problem("Not a viewer", document),
                        ["default"] = Problem("An error, as problem details", document),
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>A problem details answer, referring to the schema the operation transformer registered.</summary>
    private static OpenApiResponse Problem(string description, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemAndSecurityTransformer.ProblemSchema, document) },
        },
    };
}
