using System.Text.Json;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// INTERIM (remove when AgentsEndpoints maps register and health): the two calls an agent makes, so the local
/// runtime's agents can register and report before the lead's endpoints land. Mapped with a late order, so when
/// the real endpoints exist on the same routes they win and these are never selected (no ambiguous match).
/// </summary>
public static class InterimAgentEndpoints
{
    private const int YieldToRealEndpoints = 1_000_000;

    public static IEndpointRouteBuilder MapInterimAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/agents/register", RegisterAsync).RequireAuthorization(Policies.AgentOrOperator).WithOrder(YieldToRealEndpoints);
        endpoints.MapPost("/api/agents/{id:guid}/health", ReportHealthAsync).RequireAuthorization(Policies.Agent).WithOrder(YieldToRealEndpoints);
        return endpoints;
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> RegisterAsync(RegisterBody body, HttpContext http,
        DeploymentService deployments, UrlSafety urls, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > Agent.NameMaxLength)
            return Problems.Invalid("name", $"name is required (at most {Agent.NameMaxLength} characters).");
        if (http.User.BoundAgentName() is { } bound && bound != body.Name)
            return Problems.Forbidden("An agent token may only register its own agent.");
        if (urls.Check(body.AcpUrl) is { } urlProblem) return Problems.Invalid("acpUrl", urlProblem);

        Guid? deploymentId = null;
        string? image = null;
        string? metadata = null;
        if (body.RegistrationMetadata is { ValueKind: JsonValueKind.Object } m)
        {
            metadata = m.GetRawText();
            if (m.TryGetProperty("deploymentId", out var id) && id.ValueKind == JsonValueKind.String)
            {
                if (!id.TryGetGuid(out var parsed)) return Problems.Invalid("registrationMetadata.deploymentId", "deploymentId must be a GUID.");
                deploymentId = parsed;
            }

            if (m.TryGetProperty("dockerImage", out var img) && img.ValueKind == JsonValueKind.String) image = img.GetString();
        }

        var command = new RegisterCommand(body.Name, body.Description, body.AcpUrl!, deploymentId, image, metadata);
        var outcome = await deployments.RegisterAsync(command, http.User.Actor(), cancellationToken);
        return outcome.IsSuccess
            ? TypedResults.Ok(AgentDto.From(outcome.Value!.Agent, outcome.Value.Deployment?.Id))
            : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ReportHealthAsync(Guid id, HealthBody body, HttpContext http,
        StatusChokepoint chokepoint, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<HealthStatus>(body.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            return Problems.Invalid("status", "status must be Healthy, Unhealthy or Unknown.");

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var name = await db.Agents.Where(a => a.Id == id).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken);
            if (name is null) return Problems.NotFound($"No agent with id {id}.");
            if (name != http.User.BoundAgentName()) return Problems.Forbidden("An agent may only report its own health.");
        }

        var outcome = await chokepoint.UpdateStatusAsync<bool>(id, http.User.Actor(), body.Detail, async (t, ct) =>
        {
            if (body.DeploymentId is { } deploymentId)
            {
                var d = await t.FindDeploymentAsync(deploymentId, ct);
                if (d is null) return Core.Results.Failure.NotFound($"Agent has no deployment {deploymentId}.");
                t.SetDeploymentHealth(d, status, body.Detail);
            }
            else
            {
                t.SetAgentHealth(status, body.Detail);
            }

            return true;
        }, cancellationToken);
        return outcome.IsSuccess ? TypedResults.Accepted((string?)null) : Problems.From(outcome.Failure!);
    }

    public sealed record RegisterBody(string? Name, string? Description, string? AcpUrl, JsonElement? RegistrationMetadata);

    public sealed record HealthBody(string? Status, Guid? DeploymentId, string? Detail);
}
