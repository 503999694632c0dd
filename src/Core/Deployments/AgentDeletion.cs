using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Deployments;

/// <summary>
/// The one way an agent is deleted (API.md <c>DELETE /api/agents/{id}</c>, provisioning teardown): every deployment
/// and the agent are soft-deleted in one transaction through the chokepoint, then every runtime process of the
/// agent's deployments is stopped. Deleting first means a process that registers late finds its deployment deleted
/// and is refused; stopping after means a crash between the two leaves a deleted deployment whose process the
/// reaper (or the runtime's own shutdown) still stops. Idempotent: deleting a deleted agent stops what is left.
/// </summary>
public sealed class AgentDeletion(
    StatusChokepoint chokepoint,
    IDbContextFactory<CutoverDbContext> dbFactory,
    IDeploymentRuntime runtime,
    IOptions<DeploymentOptions> options)
{
    public async Task<Outcome<Agent>> DeleteAsync(Guid agentId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var deleted = await chokepoint.UpdateStatusAsync<Agent>(agentId, actor, reason ?? "Agent deleted", async (t, ct) =>
        {
            await t.DeleteAgentAsync(t.Now + options.Value.Retention, ct).ConfigureAwait(false);
            return t.Agent;
        }, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess) return deleted;

        List<Guid> deploymentIds;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            deploymentIds = await db.Deployments.AsNoTracking().Where(d => d.AgentId == agentId).Select(d => d.Id)
                .ToListAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // Not bound to the caller: once deleted, its processes are stopped even if the caller went away.
        foreach (var id in deploymentIds.Where(id => runtime.GetState(id).Status == RuntimeStatus.Running))
            await runtime.StopAsync(id, CancellationToken.None).ConfigureAwait(false);
        return deleted;
    }
}
