using System.Security.Claims;
using Cutover.Core.Health;
using Cutover.Dashboard.Api;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Health;

public static class HealthEndpoints
{
    /// <summary>
    /// An agent reports its own health with its own token: 202 with what is now stored; 404 for an unknown agent;
    /// 403 when the token is bound to another agent; 400 naming the field for a bad body.
    /// </summary>
    public static async Task<Results<Accepted<HealthReportReply>, ProblemHttpResult>> ReportAsync(
        string id, HttpRequest request, ClaimsPrincipal user, HealthMonitor monitor, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var idProblem)) return idProblem!;
        var agent = await monitor.FindAgentAsync(agentId, cancellationToken);
        if (agent is null) return Problems.NotFound($"No agent with id {agentId}.");
        if (!AgentAccess.MayReportHealth(user, agent.Name))
            return Problems.Forbidden("An agent token may only report its own agent's health.");

        var (body, problem) = await ApiJson.ReadAsync<HealthReportRequest>(request, optional: false, cancellationToken,
            HealthReportRequest.MaxBodyBytes);
        if (problem is not null) return problem;
        var valid = body!.Validate();
        if (!valid.IsSuccess) return Problems.From(valid.Failure!);
        var report = valid.Value;

        var outcome = await monitor.ReportAsync(agent, report.DeploymentId, report.Status, report.Detail, user.Actor(), cancellationToken);
        if (!outcome.IsSuccess) return Problems.From(outcome.Failure!);
        var r = outcome.Value!;
        return TypedResults.Accepted((string?)null, new HealthReportReply(r.AgentId, r.DeploymentId, r.Health));
    }
}
