using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>The query of <c>GET /api/agents/{id}/events</c>; a bad value is a 400 naming it.</summary>
public sealed record EventsQuery(string? AfterSequence, string? Limit)
{
    public ProblemHttpResult? Read(out long afterSequence, out int limit)
    {
        (afterSequence, limit) = (0, 500);
        if (RequestRules.OptionalLong(AfterSequence, "afterSequence", out var after) is { } ap) return ap;
        if (RequestRules.OptionalLong(Limit, "limit", out var take) is { } lp) return lp;
        if (after is < 0) return Problems.Invalid("afterSequence", "'afterSequence' must be 0 or more.");
        if (take is < 1 or > AgentsEndpoints.MaxEvents) return Problems.Invalid("limit", $"'limit' must be between 1 and {AgentsEndpoints.MaxEvents}.");
        (afterSequence, limit) = (after ?? 0, (int)(take ?? 500));
        return null;
    }
}
