using System.Security.Claims;
using Cutover.Core.Health;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/agents/{id:guid}/health", ReportAsync)
            .RequireAuthorization(Policies.Agent)
            .RequireRateLimiting(RateLimits.HealthReport)
            .WithName("ReportHealth");
        return endpoints;
    }

    /// <summary>
    /// An agent reports its own health with its own token: 202 with what is now stored; 404 for an unknown agent;
    /// 403 when the token is bound to another agent; 400 naming the field for a bad body.
    /// </summary>
    public static async Task<Results<Accepted<HealthReportReply>, ProblemHttpResult>> ReportAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, HealthMonitor monitor, CancellationToken cancellationToken)
    {
        var agent = await monitor.FindAgentAsync(id, cancellationToken);
        if (agent is null) return Problems.NotFound($"No agent with id {id}.");
        if (!AgentAccess.MayReportHealth(user, agent.Name))
            return Problems.Forbidden("An agent token may only report its own agent's health.");

        var body = await HealthReportRequest.ReadAsync(request, cancellationToken);
        if (!body.IsSuccess) return Problems.From(body.Failure!);
        var report = body.Value!;

        var outcome = await monitor.ReportAsync(agent, report.DeploymentId, report.Status, report.Detail, user.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        var r = outcome.Value!;
        return TypedResults.Accepted((string?)null, new HealthReportReply(r.AgentId, r.DeploymentId, r.Health));
    }
}
