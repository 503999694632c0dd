using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Guards;

/// <summary>
/// Reads guards and their evidence, and ends them (abort, pass, revert, breach); every write through the chokepoint.
/// Guards start inside a promote or rollback (see <see cref="Deployments.DeploymentService"/>).
/// </summary>
public sealed class GuardService(StatusChokepoint chokepoint, IDbContextFactory<CutoverDbContext> dbFactory)
{
    public const string Actor = "system:guard";

    /// <summary>The agent's latest guard with its evidence, or null when none ever ran.</summary>
    public async Task<GuardView?> LatestAsync(Guid agentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var guard = await db.Guards.AsNoTracking().Where(g => g.AgentId == agentId)
            .OrderByDescending(g => g.StartedAt).ThenByDescending(g => g.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (guard is null) return null;
        return guard.IsWatching
            ? (await LiveAsync(db, [guard], cancellationToken).ConfigureAwait(false))[0]
            : new GuardView(guard, new GuardEvidence(guard.EndRequests ?? 0, guard.EndErrors ?? 0, guard.EndHealth ?? HealthStatus.Unknown));
    }

    /// <summary>Every watching guard with its live evidence (the watcher's round).</summary>
    public async Task<IReadOnlyList<GuardView>> WatchingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var guards = await db.Guards.AsNoTracking().Where(g => g.Status == GuardStatus.Watching).ToListAsync(cancellationToken).ConfigureAwait(false);
        return guards.Count == 0 ? [] : await LiveAsync(db, guards, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><paramref name="guards"/> (read as watching by the caller) with their live evidence.</summary>
    public async Task<IReadOnlyList<GuardView>> WithEvidenceAsync(IReadOnlyList<Guard> guards, CancellationToken cancellationToken)
    {
        if (guards.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await LiveAsync(db, guards, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Watching guards' evidence: every node's samples summed, and the deployment's health and status as stored
    /// (a deleted deployment counts as Failed).
    /// </summary>
    private static async Task<IReadOnlyList<GuardView>> LiveAsync(CutoverDbContext db, IReadOnlyList<Guard> guards, CancellationToken cancellationToken)
    {
        var ids = guards.Select(g => g.Id).ToList();
        var deploymentIds = guards.Select(g => g.DeploymentId).ToList();
        var counts = (await db.GuardSamples.AsNoTracking().Where(s => ids.Contains(s.GuardId))
                .GroupBy(s => s.GuardId)
                .Select(x => new { x.Key, Requests = x.Sum(s => s.Requests), Errors = x.Sum(s => s.Errors) })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(x => x.Key, x => (x.Requests, x.Errors));
        var deployments = await db.Deployments.AsNoTracking().Where(d => deploymentIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Health, d.Status, d.ExpiresAt })
            .ToDictionaryAsync(d => d.Id, cancellationToken).ConfigureAwait(false);
        return guards.Select(g =>
        {
            var (requests, errors) = counts.GetValueOrDefault(g.Id);
            var d = deployments.GetValueOrDefault(g.DeploymentId);
            return new GuardView(g, new GuardEvidence(requests, errors, d?.Health ?? HealthStatus.Unknown,
                d is null || d.ExpiresAt is not null ? DeploymentStatus.Failed : d.Status));
        }).ToList();
    }

    /// <summary>Stops watching; production stays as it is. A conflict when no guard is watching.</summary>
    public Task<Outcome<Guard>> AbortAsync(Guid agentId, string? reason, string actor, CancellationToken cancellationToken) =>
        chokepoint.UpdateStatusAsync<Guard>(agentId, actor, reason, async (t, ct) =>
        {
            var guard = await t.FindWatchingGuardAsync(ct).ConfigureAwait(false);
            if (guard is null)
                return Failure.Conflict("No guard is watching this agent's production deployment.");
            var why = $"Aborted by {actor}" + (string.IsNullOrWhiteSpace(reason) ? "." : $": {reason}");
            if (t.EndGuard(guard, GuardStatus.Aborted, why, null) is { } failure) return failure;
            return guard;
        }, cancellationToken);

    /// <summary>
    /// Applies <paramref name="decision"/> for the guard in <paramref name="view"/>: pass, or revert production to the
    /// guard's last known good deployment (re-checked inside the transaction: never one that is Failed, stopped,
    /// deleted or Unhealthy now), recorded as AutoReverted with the evidence; with nowhere safe to go, Breached. A
    /// guard that stopped watching meanwhile (aborted, replaced) is left alone.
    /// </summary>
    public Task<Outcome<GuardStatus>> ApplyAsync(GuardView view, GuardDecision decision, CancellationToken cancellationToken)
    {
        var settings = view.Guard.Settings;
        var reason = decision.Kind == GuardDecisionKind.Revert
            ? $"Guard tripped: {decision.Why} (limits: {settings.Describe()})"
            : $"Guard passed: {view.Evidence.Describe()} over {GuardSettings.Duration(settings.Window)}";
        return chokepoint.UpdateStatusAsync<GuardStatus>(view.Guard.AgentId, Actor, reason, async (t, ct) =>
        {
            var guard = await t.FindGuardAsync(view.Guard.Id, ct).ConfigureAwait(false);
            if (guard is not { IsWatching: true }) return guard?.Status ?? GuardStatus.Aborted;
            if (t.Agent.ProductionDeploymentId != guard.DeploymentId)
                return Ended(t.EndGuard(guard, GuardStatus.Aborted, "Production moved to another deployment.", view.Evidence), GuardStatus.Aborted);
            if (decision.Kind == GuardDecisionKind.Pass)
                return Ended(t.EndGuard(guard, GuardStatus.Passed, reason, view.Evidence), GuardStatus.Passed);
            if (decision.Kind != GuardDecisionKind.Revert) return GuardStatus.Watching;

            var target = guard.PreviousDeploymentId is { } id ? await t.FindDeploymentAsync(id, ct).ConfigureAwait(false) : null;
            var unsafeWhy = target is null ? "there was no earlier healthy production deployment"
                : Transitions.CannotServeProduction(target) is { } cannot ? $"the last good deployment cannot serve ({cannot})"
                : target.Health == HealthStatus.Unhealthy ? "the last good deployment is Unhealthy now"
                : null;
            if (unsafeWhy is not null)
                return Ended(t.EndGuard(guard, GuardStatus.Breached, $"{reason}; not reverted: {unsafeWhy}.", view.Evidence), GuardStatus.Breached);

            if (await t.SetProductionAsync(target!, EventKind.AutoReverted, ct).ConfigureAwait(false) is { } failure) return failure;
            return Ended(t.EndGuard(guard, GuardStatus.Reverted, $"{reason}; reverted to {target!.DockerImage.Value}.", view.Evidence, target.Id),
                GuardStatus.Reverted);
        }, cancellationToken);
    }

    /// <summary>Sets (or with null clears) the guard a promote of the agent carries when it names none.</summary>
    public Task<Outcome<GuardSettings?>> SetDefaultAsync(Guid agentId, GuardSettings? settings, string actor, CancellationToken cancellationToken) =>
        chokepoint.UpdateStatusAsync<GuardSettings?>(agentId, actor, null, (t, _) =>
        {
            if (t.Agent.IsDeleted) return Task.FromResult<Outcome<GuardSettings?>>(Deployments.DeploymentService.AgentDeleted(t.Agent));
            t.SetDefaultGuard(settings);
            return Task.FromResult<Outcome<GuardSettings?>>(settings);
        }, cancellationToken);

    private static Outcome<GuardStatus> Ended(Failure? failure, GuardStatus status) => failure is null ? status : failure;
}
