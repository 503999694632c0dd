using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cutover.Dashboard.OpenApi;

/// <summary>
/// Per operation: every protected one (all but the explicit <c>AllowAnonymous</c> ones) names the bearer scheme and
/// its 401/403 answers; every one says that any other error is an RFC 9457 problem details body (API.md: "Errors are
/// problem details"), as the <c>default</c> response.
/// </summary>
internal sealed class ProblemAndSecurityTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";
    public const string ProblemSchema = "ProblemDetails";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var problem = await ProblemSchemaAsync(context, cancellationToken);
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["default"] = Problem("An error, as problem details naming the field when a field is at fault", problem);

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(CutoverDocumentTransformer.BearerScheme, context.Document)] = [],
        });
        operation.Responses.TryAdd("401", Problem("Not signed in: no valid token or cookie", problem));
        operation.Responses.TryAdd("403", Problem("Signed in without the role (or the agent binding) this operation needs", problem));
    }

    /// <summary>One <c>ProblemDetails</c> component for the whole document, referenced by every operation.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
            document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        return new OpenApiSchemaReference(ProblemSchema, document);
    }

    private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
    };
}
