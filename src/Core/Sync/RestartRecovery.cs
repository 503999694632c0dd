using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Sync;

/// <summary>
/// Start-up clean-up, through the chokepoint so the timeline records it: a sync left "Syncing" by a crash can no
/// longer finish (OutOfSync, "interrupted by a restart"), and health observed before the restart says nothing about
/// now (Unknown until observed again).
/// </summary>
public sealed class RestartRecovery(IDbContextFactory<CutoverDbContext> dbFactory, StatusChokepoint chokepoint, ILogger<RestartRecovery> logger)
{
    public const string Actor = "system:startup";
    public const string InterruptedError = "interrupted by a restart";

    /// <summary>Returns the number of agents whose state was changed.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        List<Guid> agentIds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var fromAgents = await db.Agents.AsNoTracking()
                .Where(a => a.Sync == SyncStatus.Syncing || a.Health != HealthStatus.Unknown)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var fromDeployments = await db.Deployments.AsNoTracking()
                .Where(d => d.Health != HealthStatus.Unknown)
                .Select(d => d.AgentId)
                .Distinct()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            agentIds = fromAgents.Union(fromDeployments).ToList();
        }

        var changed = 0;
        foreach (var agentId in agentIds)
        {
            var outcome = await chokepoint.UpdateStatusAsync<bool>(agentId, Actor, "Restarted", async (t, ct) =>
            {
                if (t.Agent.Sync == SyncStatus.Syncing && t.SetSync(SyncStatus.OutOfSync, InterruptedError) is { } failure) return failure;
                var observed = await t.Deployments.Where(d => d.Health != HealthStatus.Unknown).ToListAsync(ct).ConfigureAwait(false);
                foreach (var d in observed) t.SetDeploymentHealth(d, HealthStatus.Unknown, "Not observed since the restart");
                t.SetAgentHealth(HealthStatus.Unknown, "Not observed since the restart");
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (outcome.IsSuccess) changed++;
        }

        if (changed > 0) logger.LogInformation("After the restart, {Count} agents were reset (health Unknown, interrupted syncs OutOfSync)", changed);
        return changed;
    }
}
