using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Api;

/// <summary>
/// Extensions of API.md for the CLI (mapped in <see cref="AgentsEndpoints"/>): a deployment's process output (what the
/// dashboard's log tab shows) and the deployment a rollback without a target would return to (what the dashboard's
/// rollback dialog shows), both read from the same services the UI uses.
/// </summary>
public static class DeploymentOutputEndpoints
{
    public static async Task<Results<Ok<OutputReply>, ProblemHttpResult>> OutputAsync(
        string id, string deploymentId, IDbContextFactory<CutoverDbContext> dbFactory, IDeploymentRuntime runtime, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var p1)) return p1!;
        if (!ApiJson.TryParseId(deploymentId, "deploymentId", out var depId, out var p2)) return p2!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Deployments.AnyAsync(d => d.Id == depId && d.AgentId == agentId, cancellationToken))
            return Problems.NotFound($"Agent {agentId} has no deployment {depId}.");
        var output = runtime.GetOutput(depId);
        var state = runtime.GetState(depId);
        return TypedResults.Ok(new OutputReply(output.Lines, output.Total, state.Status.ToString(), state.ProcessId, state.ExitCode));
    }

    public static async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> RollbackTargetAsync(
        string id, IDbContextFactory<CutoverDbContext> dbFactory, DeploymentService deployments, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryParseId(id, "id", out var agentId, out var problem)) return problem!;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Agents.AnyAsync(a => a.Id == agentId, cancellationToken)) return Problems.NotFound($"No agent with id {agentId}.");
        }

        var target = await deployments.PreviewRollbackTargetAsync(agentId, cancellationToken);
        return target is null
            ? Problems.NotFound("There is no earlier production deployment that is Ready and not deleted to roll back to.")
            : TypedResults.Ok(DeploymentDto.From(target));
    }

    /// <summary><c>status</c>: Running, Exited, or Unknown (this Cutover's runtime never ran it).</summary>
    public sealed record OutputReply(IReadOnlyList<string> Lines, long Total, string Status, int? ProcessId, int? ExitCode);
}
