using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Deployments;

/// <summary>Registration, creation, promotion, rollback, soft delete and purge; every write via the chokepoint.</summary>
public sealed class DeploymentService(
    StatusChokepoint chokepoint,
    IDbContextFactory<CutoverDbContext> dbFactory,
    IOptions<DeploymentOptions> options,
    TimeProvider time)
{
    public async Task<Outcome<RegistrationResult>> RegisterAsync(RegisterCommand cmd, string actor, CancellationToken cancellationToken)
    {
        DockerImage? image = null;
        if (cmd.DockerImage is not null)
        {
            if (!DockerImage.TryParse(cmd.DockerImage, out var parsed, out var error))
                return Failure.Invalid("registrationMetadata.dockerImage", error!);
            image = parsed;
        }

        var agent = await chokepoint.EnsureAgentAsync(cmd.Name, cmd.Description, actor, cancellationToken).ConfigureAwait(false);
        return await chokepoint.UpdateStatusAsync<RegistrationResult>(agent.Id, actor, "Registered", async (t, ct) =>
        {
            if (t.Agent.IsDeleted) return AgentDeleted(t.Agent);
            if (cmd.DeploymentId is not { } deploymentId)
            {
                t.Registered(null, cmd.AcpUrl, cmd.Description);
                return new RegistrationResult(t.Agent, null);
            }

            var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
            if (d is null)
            {
                if (await OwnedByAnotherAgentAsync(deploymentId, t.Agent.Id, ct).ConfigureAwait(false))
                    return Failure.Conflict("registrationMetadata.deploymentId is already used by another agent.");

                var known = image ?? await LastKnownImageAsync(t, ct).ConfigureAwait(false);
                if (known is not { } img)
                    return Failure.Invalid("registrationMetadata.dockerImage", "dockerImage is required for an agent's first deployment.");
                d = t.CreateDeployment(deploymentId, img, cmd.MetadataJson ?? "{}");
            }
            else
            {
                if (d.IsDeleted) return Failure.Conflict("The deployment was deleted; register a new deployment id.");
                if (cmd.MetadataJson is not null) t.UpdateMetadata(d, MetadataMerge.Merge(d.MetadataJson, cmd.MetadataJson));
            }

            // API.md: a deployment-scoped registration touches only that deployment, never the agent's description.
            t.Registered(d, cmd.AcpUrl, null);
            if (t.SetDeploymentStatus(d, DeploymentStatus.Ready) is { } failure) return failure;

            // The first deployment of an agent with nothing to route to becomes production in this same
            // transaction, so concurrent pods of a new agent cannot both (or neither) take production.
            if (t.Agent.ProductionDeploymentId is null && t.Agent.AcpUrl is null)
            {
                if (await t.SetProductionAsync(d, EventKind.Promoted, ct).ConfigureAwait(false) is { } f) return f;
            }

            return new RegistrationResult(t.Agent, d);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why a Pending deployment that no local runtime starts is still Pending.</summary>
    public const string WaitingForPod = "waiting for its pod to register";

    /// <summary>
    /// Creates a Pending deployment (an external system or the runtime then starts it); <paramref name="pendingReason"/>
    /// says what it waits for (default: <see cref="WaitingForPod"/>).
    /// </summary>
    public Task<Outcome<Deployment>> CreateAsync(Guid agentId, DockerImage image, string? metadataJson, string actor,
        CancellationToken cancellationToken, string? pendingReason = null) =>
        chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, null, (t, _) =>
        {
            if (t.Agent.IsDeleted) return Task.FromResult<Outcome<Deployment>>(AgentDeleted(t.Agent));
            var d = t.CreateDeployment(Guid.CreateVersion7(), image, metadataJson ?? "{}");
            d.SetPendingReason(pendingReason ?? WaitingForPod);
            return Task.FromResult<Outcome<Deployment>>(d);
        }, cancellationToken);

    /// <summary>
    /// Makes <paramref name="deploymentId"/> production. With <paramref name="expectedProductionDeploymentId"/> it
    /// happens only while that is still production (else a Conflict carrying the current one), so a confirmation
    /// that went stale never overwrites someone else's promote. In the same transaction the agent's watching guard
    /// (if any) is replaced, and <paramref name="guard"/> (or else the agent's default guard) starts watching.
    /// </summary>
    public Task<Outcome<Deployment>> PromoteAsync(Guid agentId, Guid deploymentId, string? reason, string actor,
        CancellationToken cancellationToken, Guid? expectedProductionDeploymentId = null, GuardSettings? guard = null) =>
        chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, reason, async (t, ct) =>
        {
            if (StaleConfirmation(t, expectedProductionDeploymentId) is { } stale) return stale;
            var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
            if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
            return await MoveProductionAsync(t, d, EventKind.Promoted, guard ?? t.Agent.DefaultGuard, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Returns production to <paramref name="toDeploymentId"/>, or else to the most recent earlier production
    /// deployment (from the promotion history) that can still serve. <paramref name="expectedProductionDeploymentId"/>
    /// guards it as in <see cref="PromoteAsync"/>. A rollback replaces a watching guard; it is guarded only when it
    /// carries <paramref name="guard"/> (it returns to a deployment that has served before, so the default does not apply).
    /// </summary>
    public Task<Outcome<Deployment>> RollbackAsync(Guid agentId, Guid? toDeploymentId, string? reason, string actor,
        CancellationToken cancellationToken, Guid? expectedProductionDeploymentId = null, GuardSettings? guard = null) =>
        chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, reason, async (t, ct) =>
        {
            if (StaleConfirmation(t, expectedProductionDeploymentId) is { } stale) return stale;
            Deployment? target;
            if (toDeploymentId is { } id)
            {
                target = await t.FindDeploymentAsync(id, ct).ConfigureAwait(false);
                if (target is null) return Failure.NotFound($"Agent has no deployment {id}.");
                if (target.Id == t.Agent.ProductionDeploymentId)
                    return Failure.Conflict("That deployment is already in production.");
            }
            else
            {
                target = await FindRollbackTargetAsync(t, ct).ConfigureAwait(false);
                if (target is null) return Failure.Conflict("There is no earlier production deployment that is Ready and not deleted to roll back to.");
            }

            return await MoveProductionAsync(t, target, EventKind.RolledBack, guard, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The one production move of a promote or rollback: the swap, then the guards. Promoting the current production
    /// deployment changes nothing (its guard, if any, keeps watching).
    /// </summary>
    private static async Task<Outcome<Deployment>> MoveProductionAsync(StatusTransaction t, Deployment target, EventKind kind,
        GuardSettings? guard, CancellationToken ct)
    {
        var previousId = t.Agent.ProductionDeploymentId;
        var previous = previousId is { } p && p != target.Id ? await t.FindDeploymentAsync(p, ct).ConfigureAwait(false) : null;
        // Health as it was before the swap: "the previous production, if it was healthy then".
        var previousWasHealthy = previous is { Health: HealthStatus.Healthy };
        if (await t.SetProductionAsync(target, kind, ct).ConfigureAwait(false) is { } failure) return failure;
        if (previousId == target.Id) return target;

        if (await t.FindWatchingGuardAsync(ct).ConfigureAwait(false) is { } watching)
        {
            var by = kind == EventKind.RolledBack ? "a rollback" : "a new promote";
            if (t.EndGuard(watching, GuardStatus.Aborted, $"Replaced by {by} to {target.DockerImage.Value} (by {t.Actor}).", null) is { } f) return f;
        }

        if (guard is not null)
        {
            var lastGood = previousWasHealthy && Transitions.CannotServeProduction(previous!) is null
                ? previous
                : await LastHealthyProductionAsync(t, target.Id, ct).ConfigureAwait(false);
            t.StartGuard(target, guard, lastGood);
        }

        return target;
    }

    /// <summary>
    /// When the previous production was not healthy: the most recent earlier production deployment that can serve
    /// and is Healthy now, or null.
    /// </summary>
    private static async Task<Deployment?> LastHealthyProductionAsync(StatusTransaction t, Guid current, CancellationToken ct)
    {
        foreach (var id in (await PromotionHistoryAsync(t.Events, ct).ConfigureAwait(false)).Where(id => id != current))
        {
            var d = await t.FindDeploymentAsync(id, ct).ConfigureAwait(false);
            if (d is { Health: HealthStatus.Healthy } && Transitions.CannotServeProduction(d) is null) return d;
        }

        return null;
    }

    /// <summary>What a rollback without a target would return to, or null when there is nothing.</summary>
    public async Task<Deployment?> PreviewRollbackTargetAsync(Guid agentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken).ConfigureAwait(false);
        if (agent is null) return null;
        var history = await PromotionHistoryAsync(db.Events.AsNoTracking().Where(e => e.AgentId == agentId), cancellationToken).ConfigureAwait(false);
        history = await WithoutRevertedAsync(history, db.Guards.AsNoTracking().Where(g => g.AgentId == agentId), cancellationToken).ConfigureAwait(false);
        return await FirstServableAsync(history, agent.ProductionDeploymentId,
            id => db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.AgentId == agentId, cancellationToken)).ConfigureAwait(false);
    }

    public Task<Outcome<Deployment>> DeleteAsync(Guid agentId, Guid deploymentId, string? reason, string actor,
        CancellationToken cancellationToken) =>
        chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, reason, async (t, ct) =>
        {
            var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
            if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
            if (t.SoftDelete(d, t.Now + options.Value.Retention) is { } failure) return failure;
            return d;
        }, cancellationToken);

    /// <summary>Purges deployments whose retention has run out. Production is never purged. Returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(Guid AgentId, Guid Id)> expired;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            expired = (await db.Deployments.AsNoTracking()
                .Where(d => d.ExpiresAt != null && d.ExpiresAt <= now && !d.IsProduction)
                .OrderBy(d => d.ExpiresAt)
                .Select(d => new { d.AgentId, d.Id })
                .Take(1000)
                .ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(x => (x.AgentId, x.Id)).ToList();
        }

        var purged = 0;
        foreach (var group in expired.GroupBy(x => x.AgentId))
        {
            var outcome = await chokepoint.UpdateStatusAsync<int>(group.Key, "system:retention", "Retention period ended", async (t, ct) =>
            {
                var n = 0;
                foreach (var (_, id) in group)
                {
                    var d = await t.FindDeploymentAsync(id, ct).ConfigureAwait(false);
                    if (d is null || d.IsProduction || d.ExpiresAt is null || d.ExpiresAt > t.Now) continue;
                    if (t.Purge(d) is null) n++;
                }

                return n;
            }, cancellationToken).ConfigureAwait(false);
            purged += outcome.Value;
        }

        return purged;
    }

    /// <summary>A deleted agent takes no new deployments or registrations; its name stays taken until it is purged.</summary>
    public static Failure AgentDeleted(Agent agent) =>
        Failure.Gone($"Agent '{agent.Name}' was deleted; its name stays taken until the retention purge.");

    /// <summary>Checked inside the agent's transaction, so no promote can slip between the check and the write.</summary>
    private static Failure? StaleConfirmation(StatusTransaction t, Guid? expected) =>
        expected is { } e && t.Agent.ProductionDeploymentId != e ? Failure.StaleProduction(e, t.Agent.ProductionDeploymentId) : null;

    private static async Task<Deployment?> FindRollbackTargetAsync(StatusTransaction t, CancellationToken ct)
    {
        var history = await PromotionHistoryAsync(t.Events, ct).ConfigureAwait(false);
        history = await WithoutRevertedAsync(history, t.Guards, ct).ConfigureAwait(false);
        return await FirstServableAsync(history, t.Agent.ProductionDeploymentId, id => t.FindDeploymentAsync(id, ct)).ConfigureAwait(false);
    }

    /// <summary>The most recent deployment in <paramref name="history"/>, other than the current one, that can serve.</summary>
    private static async Task<Deployment?> FirstServableAsync(List<Guid> history, Guid? current, Func<Guid, Task<Deployment?>> find)
    {
        foreach (var id in history.Where(id => id != current))
        {
            var d = await find(id).ConfigureAwait(false);
            if (d is not null && Transitions.CannotServeProduction(d) is null) return d;
        }

        return null;
    }

    /// <summary>
    /// <paramref name="history"/> without the deployments a guard last reverted away from: a rollback with no target
    /// never offers the version that was just found bad (naming it explicitly, or promoting it, still works).
    /// </summary>
    private static async Task<List<Guid>> WithoutRevertedAsync(List<Guid> history, IQueryable<Guard> guards, CancellationToken ct)
    {
        var verdicts = await guards.OrderBy(g => g.StartedAt).Select(g => new { g.DeploymentId, g.Status }).ToListAsync(ct).ConfigureAwait(false);
        if (verdicts.Count == 0) return history;
        var bad = verdicts.GroupBy(g => g.DeploymentId).Where(g => g.Last().Status == GuardStatus.Reverted).Select(g => g.Key).ToHashSet();
        return history.Where(id => !bad.Contains(id)).ToList();
    }

    /// <summary>Deployment ids that have been production, most recent first, each once.</summary>
    private static async Task<List<Guid>> PromotionHistoryAsync(IQueryable<TimelineEvent> events, CancellationToken ct)
    {
        var ids = await events
            .Where(e => (e.Kind == EventKind.Promoted || e.Kind == EventKind.RolledBack || e.Kind == EventKind.AutoReverted) && e.DeploymentId != null)
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.DeploymentId!.Value)
            .Take(200)
            .ToListAsync(ct).ConfigureAwait(false);
        return ids.Distinct().ToList();
    }

    private async Task<bool> OwnedByAnotherAgentAsync(Guid deploymentId, Guid agentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Deployments.AnyAsync(d => d.Id == deploymentId && d.AgentId != agentId, ct).ConfigureAwait(false);
    }

    private static async Task<DockerImage?> LastKnownImageAsync(StatusTransaction t, CancellationToken ct)
    {
        var last = await t.Deployments.AsNoTracking().OrderByDescending(d => d.CreatedAt).Select(d => d.DockerImage)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return last.Value is null ? null : last;
    }
}
