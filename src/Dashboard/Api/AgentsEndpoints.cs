using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Queries;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

/// <summary>API.md "Agents": register, list, get, by-name, events.</summary>
public static class AgentsEndpoints
{
    public const int MaxPageSize = 200;
    public const int MaxEvents = 1000;

    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/agents").WithTags("Agents");
        group.MapPost("/register", RegisterAsync).RequireAuthorization(Policies.AgentOrOperator).RequireRateLimiting(RateLimits.Registration);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/by-name/{name}", GetByNameAsync).RequireAuthorization(Policies.Viewer);
        group.MapGet("/{id}/events", EventsAsync).RequireAuthorization(Policies.Viewer);
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
        IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken,
        string? page, string? pageSize, string? q, string? health, string? sync)
    {
        if (RequestRules.OptionalLong(page, "page", out var pageValue) is { } pp) return pp;
        if (RequestRules.OptionalLong(pageSize, "pageSize", out var sizeValue) is { } sp) return sp;
        var p = pageValue ?? 1;
        var size = sizeValue ?? 50;
        if (p > int.MaxValue / MaxPageSize) return Problems.Invalid("page", "'page' is too large.");
        if (p < 1) return Problems.Invalid("page", "'page' must be 1 or more.");
        if (size is < 1 or > MaxPageSize) return Problems.Invalid("pageSize", $"'pageSize' must be between 1 and {MaxPageSize}.");
        if (RequestRules.MaxLength(q, Agent.NameMaxLength, "q") is { } qp) return qp;
        HealthStatus? healthFilter = null;
        SyncStatus? syncFilter = null;
        if (!string.IsNullOrEmpty(health))
        {
            if (!Enum.TryParse<HealthStatus>(health, ignoreCase: true, out var h) || int.TryParse(health, out _))
                return Problems.Invalid("health", $"'health' must be one of {string.Join(", ", Enum.GetNames<HealthStatus>())}.");
            healthFilter = h;
        }

        if (!string.IsNullOrEmpty(sync))
        {
            if (!Enum.TryParse<SyncStatus>(sync, ignoreCase: true, out var s) || int.TryParse(sync, out _))
                return Problems.Invalid("sync", $"'sync' must be one of {string.Join(", ", Enum.GetNames<SyncStatus>())}.");
            syncFilter = s;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = AgentFilter.Apply(db.Agents.AsNoTracking(), q, healthFilter, syncFilter);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(a => a.Name).Skip((int)((p - 1) * size)).Take((int)size).ToListAsync(cancellationToken);
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

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> GetByNameAsync(
        string name, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (RequestRules.AgentName(name) is { } problem) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, cancellationToken);
        return agent is null ? Problems.NotFound($"No agent named '{name}'.") : TypedResults.Ok(AgentDto.From(agent));
    }

    public static async Task<Results<Ok<List<EventDto>>, ProblemHttpResult>> EventsAsync(
        string id, IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken,
        string? afterSequence, string? limit)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        if (RequestRules.OptionalLong(afterSequence, "afterSequence", out var afterValue) is { } ap) return ap;
        if (RequestRules.OptionalLong(limit, "limit", out var limitValue) is { } lp) return lp;
        if (afterValue is < 0) return Problems.Invalid("afterSequence", "'afterSequence' must be 0 or more.");
        var take = limitValue ?? 500;
        if (take is < 1 or > MaxEvents) return Problems.Invalid("limit", $"'limit' must be between 1 and {MaxEvents}.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Agents.AnyAsync(a => a.Id == agentId, cancellationToken)) return Problems.NotFound($"No agent with id {agentId}.");
        var after = afterValue ?? 0;
        var events = await db.Events.AsNoTracking()
            .Where(e => e.AgentId == agentId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take((int)take)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events.Select(EventDto.Of).ToList());
    }
}
