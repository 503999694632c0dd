using System.Text;
using System.Text.Json;
using Cutover.Core.Provisioning;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Provisioning;

/// <summary>API.md "Provisioning runs": apply a spec (JSON or YAML), list and read runs, tear one down.</summary>
public static class ProvisioningEndpoints
{
    public const int MaxSpecBytes = 256 * 1024;
    public const int MaxListed = 100;

    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    public static IEndpointRouteBuilder MapProvisioningApi(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/api/provisioning/runs").WithTags("Provisioning");
        runs.MapPost("/", StartAsync).Accepts<JsonElement>("application/json", "application/yaml").RequireAuthorization(Policies.Operator);
        runs.MapGet("/", ListAsync).RequireAuthorization(Policies.Viewer);
        runs.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        runs.MapDelete("/{id}", TearDownAsync).RequireAuthorization(Policies.Operator);
        return endpoints;
    }

    public static async Task<Results<Created<RunView>, Ok<RunView>, ProblemHttpResult>> StartAsync(
        HttpRequest request, ProvisioningService provisioning, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var yaml = contentType is not null && YamlTypes.Contains(contentType);
        if (!yaml && !request.HasJsonContentType())
            return Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the spec as application/json or application/yaml.", "body");
        if (request.ContentLength > MaxSpecBytes) return TooLarge();

        var text = await ReadTextAsync(request, cancellationToken);
        if (text is null) return TooLarge();
        if (string.IsNullOrWhiteSpace(text)) return Problems.Invalid("body", "A spec is required.");

        var spec = SpecReader.Read(text, yaml, out var problems);
        if (spec is null) return SpecProblems.From(problems);
        var started = await provisioning.StartAsync(spec, request.HttpContext.User.Actor(), cancellationToken);
        if (!started.IsSuccess) return SpecProblems.From(started.Problems);
        var run = started.Run!;
        return run.DryRun ? TypedResults.Ok(run) : TypedResults.Created($"/api/provisioning/runs/{run.Id}", run);
    }

    public static async Task<Ok<IReadOnlyList<RunView>>> ListAsync(ProvisioningService provisioning, CancellationToken cancellationToken) =>
        TypedResults.Ok(await provisioning.ListAsync(MaxListed, cancellationToken));

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(
        string id, ProvisioningService provisioning, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var runId, out var problem)) return problem!;
        var run = await provisioning.GetAsync(runId, cancellationToken);
        return run is null ? Problems.NotFound($"No provisioning run with id {runId}.") : TypedResults.Ok(run);
    }

    public static async Task<Results<Accepted<RunView>, ProblemHttpResult>> TearDownAsync(
        string id, HttpRequest request, ProvisioningService provisioning, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var runId, out var problem)) return problem!;
        var run = await provisioning.BeginTeardownAsync(runId, request.HttpContext.User.Actor(), cancellationToken);
        return run is null ? Problems.NotFound($"No provisioning run with id {runId}.") : TypedResults.Accepted($"/api/provisioning/runs/{runId}", run);
    }

    /// <summary>The body as UTF-8 text, or null when it passes the limit (also without a Content-Length).</summary>
    private static async Task<string?> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > MaxSpecBytes) return null;
            buffer.Write(chunk, 0, n);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The spec must be at most {MaxSpecBytes} bytes.", "body");
}
