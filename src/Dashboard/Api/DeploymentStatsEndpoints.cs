using System.Globalization;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Traffic;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

/// <summary>API.md "stats": the RPC traffic Cutover forwarded to one deployment (mapped in <see cref="AgentsEndpoints"/>).</summary>
public static class DeploymentStatsEndpoints
{
    public static async Task<Results<Ok<DeploymentStatsDto>, ProblemHttpResult>> StatsAsync(
        string id, string deploymentId, [AsParameters] DeploymentStatsQuery query, TrafficFigures figures,
        IDbContextFactory<CutoverDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        if (query.Read(out var window) is { } wp) return wp;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Scoped to the agent like the other deployment routes: another agent's deployment is "not found".
        if (!await db.Deployments.AnyAsync(d => d.Id == depId && d.AgentId == agentId, cancellationToken))
            return Problems.NotFound($"Agent {agentId} has no deployment {depId}.");
        return TypedResults.Ok(DeploymentStatsDto.From(figures.Read(depId, window)));
    }
}

/// <summary>The query of the stats route: <c>window</c> is <c>00:01:00</c> (the default) or <c>00:15:00</c>.</summary>
public sealed record DeploymentStatsQuery(string? Window)
{
    public ProblemHttpResult? Read(out TimeSpan window)
    {
        window = TrafficFigures.OneMinute;
        if (Window is null) return null;
        if (TimeSpan.TryParseExact(Window, "c", CultureInfo.InvariantCulture, out var parsed) && TrafficFigures.Windows.Contains(parsed))
        {
            window = parsed;
            return null;
        }

        return Problems.Invalid("window", "window must be 00:01:00 or 00:15:00.");
    }
}

/// <summary><c>{ window, requests, errors, errorRate, p50Ms, p99Ms }</c>; the latencies are null without requests.</summary>
public sealed record DeploymentStatsDto(TimeSpan Window, long Requests, long Errors, double ErrorRate, double? P50Ms, double? P99Ms)
{
    public static DeploymentStatsDto From(TrafficSnapshot s) => new(s.Window, s.Requests, s.Errors, s.ErrorRate, s.P50Ms, s.P99Ms);
}
