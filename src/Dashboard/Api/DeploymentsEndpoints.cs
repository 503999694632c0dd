using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

/// <summary>API.md "Deployments": create, list, get, promote, rollback, soft delete (mapped in <see cref="AgentsEndpoints"/>).</summary>
public static class DeploymentsEndpoints
{
    public static async Task<Results<Created<DeploymentDto>, ProblemHttpResult>> CreateAsync(
        string id, HttpRequest request, DeploymentLauncher deploys, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        var (body, bodyProblem) = await ApiJson.ReadAsync<CreateDeploymentRequest>(request, optional: false, cancellationToken);
        if (bodyProblem is not null) return bodyProblem;
        if (!DockerImage.TryParse(body!.DockerImage, out var image, out var imageError)) return Problems.Invalid("dockerImage", imageError!);
        if (RequestRules.Metadata(body.RegistrationMetadata, out var json, out _, out _) is { } mp) return mp;

        // With a runtime configured for the image this also starts it (Pending until the agent registers);
        // otherwise it records the Pending deployment for an external system to start.
        var outcome = await deploys.DeployAsync(agentId, image, json, request.HttpContext.User.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        var d = outcome.Value!;
        return TypedResults.Created($"/api/agents/{agentId}/deployments/{d.Id}", DeploymentDto.From(d));
    }

    public static async Task<Results<Ok<List<DeploymentDto>>, ProblemHttpResult>> ListAsync(
        string id, [AsParameters] DeploymentListQuery query, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        if (query.Read(out var withDeleted) is { } bp) return bp;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Agents.AnyAsync(a => a.Id == agentId, cancellationToken)) return Problems.NotFound($"No agent with id {agentId}.");
        var deployments = db.Deployments.AsNoTracking().Where(d => d.AgentId == agentId);
        if (!withDeleted) deployments = deployments.Where(d => d.ExpiresAt == null);
        var rows = await deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(DeploymentDto.From).ToList());
    }

    public static async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> GetAsync(
        string id, string deploymentId, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Scoped to the agent: another agent's deployment is "not found", so ids cannot be probed across agents.
        var d = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == depId && x.AgentId == agentId, cancellationToken);
        return d is null ? Problems.NotFound($"Agent {agentId} has no deployment {depId}.") : TypedResults.Ok(DeploymentDto.From(d));
    }

    public static async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> PromoteAsync(
        string id, string deploymentId, HttpRequest request, DeploymentService deployments, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        var (body, problem) = await ApiJson.ReadAsync<ReasonRequest>(request, optional: true, cancellationToken);
        if (problem is not null) return problem;
        if (RequestRules.Text(body?.Reason, RequestRules.ReasonMaxLength, "reason") is { } rp) return rp;
        var guard = body?.Guard?.ToSettings();
        if (guard is { IsSuccess: false } g) return Problems.From(g.Failure!);
        var outcome = await deployments.PromoteAsync(agentId, depId, body?.Reason, request.HttpContext.User.Actor(), cancellationToken,
            body?.ExpectedProductionDeploymentId, guard?.Value);
        return outcome.IsSuccess ? TypedResults.Ok(DeploymentDto.From(outcome.Value!)) : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> RollbackAsync(
        string id, HttpRequest request, DeploymentService deployments, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        var (body, problem) = await ApiJson.ReadAsync<RollbackRequest>(request, optional: true, cancellationToken);
        if (problem is not null) return problem;
        if (RequestRules.Text(body?.Reason, RequestRules.ReasonMaxLength, "reason") is { } rp) return rp;
        var guard = body?.Guard?.ToSettings();
        if (guard is { IsSuccess: false } g) return Problems.From(g.Failure!);
        var outcome = await deployments.RollbackAsync(agentId, body?.ToDeploymentId, body?.Reason, request.HttpContext.User.Actor(),
            cancellationToken, body?.ExpectedProductionDeploymentId, guard?.Value);
        return outcome.IsSuccess ? TypedResults.Ok(DeploymentDto.From(outcome.Value!)) : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, string deploymentId, HttpRequest request, DeploymentService deployments, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        var outcome = await deployments.DeleteAsync(agentId, depId, null, request.HttpContext.User.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }
}
