using System.Text.Json;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Queries;
using Cutover.Dashboard.Health;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

/// <summary>
/// Every route under <c>/api/agents</c> (API.md "Agents" and "Deployments", health reports, RPC), in one table.
/// Ids are plain route values parsed by <see cref="ApiJson.TryParseId"/>, so a malformed id is the same 400 naming
/// the field on every route. Handlers for agents live here; the others in their feature's endpoints class.
/// </summary>
public static class AgentsEndpoints
{
    public const int MaxPageSize = 200;
    public const int MaxEvents = 1000;

    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder endpoints)
    {
        var agents = endpoints.MapGroup("/api/agents").WithTags("Agents");
        agents.MapPost("/register", RegisterAsync).Accepts<RegisterRequest>("application/json").RequireAuthorization(Policies.AgentOrOperator).RequireRateLimiting(RateLimits.Registration);
        agents.MapGet("/", ListAsync).RequireAuthorization(Policies.Viewer);
        agents.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        agents.MapGet("/by-name/{name}", GetByNameAsync).RequireAuthorization(Policies.Viewer);
        agents.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Operator);
        agents.MapGet("/{id}/events", EventsAsync).RequireAuthorization(Policies.Viewer);
        agents.MapPost("/{id}/health", HealthEndpoints.ReportAsync).Accepts<HealthReportRequest>("application/json").RequireAuthorization(Policies.Agent)
            .RequireRateLimiting(RateLimits.HealthReport).WithName("ReportHealth");

        var deployments = endpoints.MapGroup("/api/agents/{id}").WithTags("Deployments");
        deployments.MapPost("/deployments", DeploymentsEndpoints.CreateAsync).Accepts<CreateDeploymentRequest>("application/json").RequireAuthorization(Policies.Operator);
        deployments.MapGet("/deployments", DeploymentsEndpoints.ListAsync).RequireAuthorization(Policies.Viewer);
        deployments.MapGet("/deployments/{deploymentId}", DeploymentsEndpoints.GetAsync).RequireAuthorization(Policies.Viewer);
        deployments.MapPost("/deployments/{deploymentId}/promote", DeploymentsEndpoints.PromoteAsync).Accepts<ReasonRequest>(isOptional: true, "application/json").RequireAuthorization(Policies.Operator);
        deployments.MapPost("/rollback", DeploymentsEndpoints.RollbackAsync).Accepts<RollbackRequest>(isOptional: true, "application/json").RequireAuthorization(Policies.Operator);
        deployments.MapDelete("/deployments/{deploymentId}", DeploymentsEndpoints.DeleteAsync).RequireAuthorization(Policies.Operator);
        deployments.MapGet("/deployments/{deploymentId}/output", DeploymentOutputEndpoints.OutputAsync).RequireAuthorization(Policies.Viewer);
        deployments.MapGet("/deployments/{deploymentId}/stats", DeploymentStatsEndpoints.StatsAsync).RequireAuthorization(Policies.Viewer);
        deployments.MapGet("/rollback/target", DeploymentOutputEndpoints.RollbackTargetAsync).RequireAuthorization(Policies.Viewer);

        var guard = endpoints.MapGroup("/api/agents/{id}/guard").WithTags("Guarded promotion");
        guard.MapGet("/", GuardEndpoints.GetAsync).RequireAuthorization(Policies.Viewer);
        guard.MapPost("/abort", GuardEndpoints.AbortAsync).Accepts<AbortGuardRequest>(isOptional: true, "application/json").RequireAuthorization(Policies.Operator);
        guard.MapPut("/default", GuardEndpoints.SetDefaultAsync).Accepts<GuardRequest>("application/json").RequireAuthorization(Policies.Operator);
        guard.MapDelete("/default", GuardEndpoints.ClearDefaultAsync).RequireAuthorization(Policies.Operator);

        var rpc = endpoints.MapGroup("/api/agents").RequireAuthorization(Policies.Operator).WithTags("RPC")
            // For the OpenAPI document: any JSON-RPC body in, the agent's answer out.
            .WithMetadata(new AcceptsMetadata(["application/json"], typeof(JsonElement)),
                new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JsonElement), ["application/json"]));
        rpc.MapPost("/{id}/rpc", RpcEndpoints.ForwardToProductionAsync);
        rpc.MapPost("/by-name/{name}/rpc", RpcEndpoints.ForwardToProductionByNameAsync);
        rpc.MapPost("/{id}/deployments/{deploymentId}/rpc", RpcEndpoints.ForwardToPreviewAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> RegisterAsync(
        HttpRequest request, DeploymentService deployments, UrlSafety urlSafety, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<RegisterRequest>(request, optional: false, cancellationToken);
        if (problem is not null) return problem;
        if (RequestRules.AgentName(body!.Name) is { } p1) return p1;
        if (RequestRules.Text(body.Description, Agent.DescriptionMaxLength, "description") is { } p2) return p2;
        if (urlSafety.Check(body.AcpUrl) is { } urlError) return Problems.Invalid("acpUrl", urlError);
        if (RequestRules.Metadata(body.RegistrationMetadata, out var json, out var deploymentId, out var image) is { } p3) return p3;

        // An agent token registers only the agent it is bound to; operators may register any.
        var user = request.HttpContext.User;
        if (!AgentAccess.MayRegister(user, body.Name!))
            return Problems.Forbidden("This agent token is bound to another agent.");

        var command = new RegisterCommand(body.Name!, body.Description, body.AcpUrl!, deploymentId, image, json);
        var outcome = await deployments.RegisterAsync(command, user.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        return TypedResults.Ok(AgentDto.From(outcome.Value!.Agent, outcome.Value.Deployment?.Id));
    }

    public static async Task<Results<Ok<PagedResult<AgentDto>>, ProblemHttpResult>> ListAsync(
        [AsParameters] AgentListQuery query, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (query.Read(out var page, out var size, out var health, out var sync) is { } problem) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = AgentFilter.Apply(db.Agents.AsNoTracking(), query.Q, health, sync);
        var total = await agents.CountAsync(cancellationToken);
        var items = await agents.OrderBy(a => a.Name).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResult<AgentDto>(items.Select(a => AgentDto.From(a)).ToList(), total));
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> GetAsync(
        string id, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        return agent is null ? Problems.NotFound($"No agent with id {agentId}.") : TypedResults.Ok(AgentDto.From(agent));
    }

    /// <summary>Soft delete (API.md): every deployment stopped and soft-deleted, the agent out of lists; idempotent.</summary>
    public static async Task<Results<Accepted<AgentDto>, ProblemHttpResult>> DeleteAsync(
        string id, HttpRequest request, AgentDeletion deletion, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        var outcome = await deletion.DeleteAsync(agentId, null, request.HttpContext.User.Actor(), cancellationToken);
        return outcome.IsSuccess ? TypedResults.Accepted($"/api/agents/{agentId}", AgentDto.From(outcome.Value!)) : Problems.From(outcome.Failure!);
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> GetByNameAsync(
        string name, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (RequestRules.AgentName(name) is { } problem) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, cancellationToken);
        return agent is null ? Problems.NotFound($"No agent named '{name}'.") : TypedResults.Ok(AgentDto.From(agent));
    }

    public static async Task<Results<Ok<List<EventDto>>, ProblemHttpResult>> EventsAsync(
        string id, [AsParameters] EventsQuery query, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        if (query.Read(out var after, out var take) is { } queryProblem) return queryProblem;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Agents.AnyAsync(a => a.Id == agentId, cancellationToken)) return Problems.NotFound($"No agent with id {agentId}.");
        var events = await db.Events.AsNoTracking()
            .Where(e => e.AgentId == agentId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(take)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events.Select(EventDto.Of).ToList());
    }
}
