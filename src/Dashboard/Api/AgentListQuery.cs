using Cutover.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>The query of <c>GET /api/agents</c>, bound as text and checked here so a bad value is a 400 naming it.</summary>
public sealed record AgentListQuery(string? Page, string? PageSize, string? Q, string? Health, string? Sync)
{
    public ProblemHttpResult? Read(out int page, out int pageSize, out HealthStatus? health, out SyncStatus? sync)
    {
        (page, pageSize, health, sync) = (1, 50, null, null);
        if (RequestRules.OptionalLong(Page, "page", out var p) is { } pp) return pp;
        if (RequestRules.OptionalLong(PageSize, "pageSize", out var s) is { } sp) return sp;
        if (p is < 1) return Problems.Invalid("page", "'page' must be 1 or more.");
        if (p > int.MaxValue / AgentsEndpoints.MaxPageSize) return Problems.Invalid("page", "'page' is too large.");
        if (s is < 1 or > AgentsEndpoints.MaxPageSize)
            return Problems.Invalid("pageSize", $"'pageSize' must be between 1 and {AgentsEndpoints.MaxPageSize}.");
        if (RequestRules.MaxLength(Q, Agent.NameMaxLength, "q") is { } qp) return qp;
        if (RequestRules.OptionalEnum(Health, "health", out health) is { } hp) return hp;
        if (RequestRules.OptionalEnum(Sync, "sync", out sync) is { } yp) return yp;
        (page, pageSize) = ((int)(p ?? 1), (int)(s ?? 50));
        return null;
    }
}
