using Cutover.Core.Deployments;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>
/// <c>POST .../deployments/{deploymentId}/stop</c> and <c>/start</c> (API.md): 202 with the deployment as it is now
/// (Stopped; or Pending while it starts). Production cannot be stopped (409); a deleted one is 410; a deployment
/// whose process runs outside Cutover (no local runtime for its image) is 409 saying so.
/// </summary>
public static class DeploymentStopStartEndpoints
{
    public static Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> StopAsync(
        string id, string deploymentId, HttpRequest request, DeploymentLauncher deploys, CancellationToken cancellationToken) =>
        ActAsync(id, deploymentId, request, cancellationToken,
            (agentId, depId, reason, actor) => deploys.StopAsync(agentId, depId, $"by {actor}", reason, actor, cancellationToken));

    public static Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> StartAsync(
        string id, string deploymentId, HttpRequest request, DeploymentLauncher deploys, CancellationToken cancellationToken) =>
        ActAsync(id, deploymentId, request, cancellationToken,
            (agentId, depId, reason, actor) => deploys.StartAsync(agentId, depId, reason, actor, cancellationToken));

    /// <summary>The edge both share: ids, the optional <c>{ reason? }</c> body, then 202 with the deployment or the problem.</summary>
    private static async Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> ActAsync(string id, string deploymentId, HttpRequest request,
        CancellationToken cancellationToken, Func<Guid, Guid, string?, string, Task<Core.Results.Outcome<Core.Domain.Deployment>>> act)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        var (body, problem) = await ApiJson.ReadAsync<StopStartRequest>(request, optional: true, cancellationToken);
        if (problem is not null) return problem;
        if (RequestRules.Text(body?.Reason, RequestRules.ReasonMaxLength, "reason") is { } rp) return rp;
        var outcome = await act(agentId, depId, body?.Reason, request.HttpContext.User.Actor());
        return outcome.IsSuccess ? TypedResults.Accepted($"/api/agents/{agentId}/deployments/{depId}", DeploymentDto.From(outcome.Value!)) : Problems.From(outcome.Failure!);
    }
}
