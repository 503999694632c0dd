using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Status;

/// <summary>
/// The only writer of status fields. Handed out by <see cref="StatusChokepoint.UpdateStatusAsync{T}"/> inside its
/// transaction: each method checks the transition table, changes the row, appends the timeline event with the
/// agent's next sequence number, and queues the change for publication after commit.
/// </summary>
public sealed class StatusTransaction
{
    private readonly CutoverDbContext _db;
    private readonly List<StatusChange> _changes = [];

    internal StatusTransaction(CutoverDbContext db, Agent agent, string actor, string? reason, DateTime now)
    {
        _db = db;
        Agent = agent;
        Actor = actor;
        Reason = reason;
        Now = now;
    }

    public Agent Agent { get; }

    public string Actor { get; }

    public string? Reason { get; }

    public DateTime Now { get; }

    internal IReadOnlyList<StatusChange> Changes => _changes;

    /// <summary>The agent's deployments, tracked, for reading inside the transaction.</summary>
    public IQueryable<Deployment> Deployments => _db.Deployments.Where(d => d.AgentId == Agent.Id);

    public Task<Deployment?> FindDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        Deployments.FirstOrDefaultAsync(d => d.Id == deploymentId, cancellationToken);

    /// <summary>Reads events of this agent (for rollback's promotion history).</summary>
    public IQueryable<TimelineEvent> Events => _db.Events.AsNoTracking().Where(e => e.AgentId == Agent.Id);

    public Deployment CreateDeployment(Guid id, DockerImage image, string metadataJson, string? acpUrl = null)
    {
        var d = new Deployment(id, Agent.Id, image, metadataJson, Now);
        d.SetAcpUrl(acpUrl);
        _db.Deployments.Add(d);
        Record(EventKind.Created, d.Id, StatusField.DeploymentCreated, null, image.Value, Reason);
        return d;
    }

    public Failure? SetDeploymentStatus(Deployment d, DeploymentStatus to, string? detail = null)
    {
        EnsureOwn(d);
        if (d.Status == to) return null;
        if (!Transitions.IsAllowed(d.Status, to))
        {
            return Failure.Conflict($"A deployment cannot go from {d.Status} to {to}.");
        }

        var from = d.Status;
        d.WriteStatus(to, to == DeploymentStatus.Failed ? detail : null);
        Record(to == DeploymentStatus.Ready ? EventKind.Ready : EventKind.Failed, d.Id, StatusField.DeploymentStatus,
            from.ToString(), to.ToString(), detail ?? Reason);
        return null;
    }

    /// <summary>
    /// Makes <paramref name="target"/> the production deployment: demote the old row and flush first, then promote
    /// the new one and move the agent's pointer (a single-statement swap would break the unique index).
    /// </summary>
    public async Task<Failure?> SetProductionAsync(Deployment target, EventKind kind, CancellationToken cancellationToken)
    {
        EnsureOwn(target);
        if (kind is not (EventKind.Promoted or EventKind.RolledBack or EventKind.AutoReverted)) throw new ArgumentOutOfRangeException(nameof(kind));
        if (Transitions.CannotServeProduction(target) is { } why) return Failure.Conflict(why);
        if (target.IsProduction && Agent.ProductionDeploymentId == target.Id) return null;

        var old = await Deployments.FirstOrDefaultAsync(d => d.IsProduction, cancellationToken).ConfigureAwait(false);
        if (old is not null && old.Id != target.Id)
        {
            old.WriteProduction(false, Now, Actor);
            Record(EventKind.Demoted, old.Id, StatusField.Production, "true", "false", Reason);
            await _db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var previousPointer = Agent.ProductionDeploymentId;
        target.WriteProduction(true, Now, Actor);
        Agent.WriteProductionPointer(target.Id);
        Record(kind, target.Id, StatusField.Production, previousPointer?.ToString(), target.Id.ToString(), Reason);
        SetAgentHealth(target.Health);
        return null;
    }

    /// <summary>Soft-deletes a deployment; <paramref name="expiresAt"/> is when the retention job purges it.</summary>
    public Failure? SoftDelete(Deployment d, DateTime expiresAt)
    {
        EnsureOwn(d);
        if (d.IsProduction) return Failure.Conflict(Transitions.CannotDeleteProduction);
        if (d.IsDeleted) return null;
        d.WriteDeleted(expiresAt);
        Record(EventKind.Deleted, d.Id, StatusField.DeploymentDeleted, null, expiresAt.ToString("O"), Reason);
        return null;
    }

    /// <summary>
    /// Soft-deletes the agent and every deployment it has: production is demoted first (the only way production
    /// goes away with no successor), then each deployment is soft-deleted, then the agent. Idempotent: a deleted
    /// agent is left as it is. <paramref name="expiresAt"/> is when the retention job purges the deployments.
    /// </summary>
    public async Task DeleteAgentAsync(DateTime expiresAt, CancellationToken cancellationToken)
    {
        if (Agent.IsDeleted) return;
        if (await FindWatchingGuardAsync(cancellationToken).ConfigureAwait(false) is { } guard)
            EndGuard(guard, GuardStatus.Aborted, "The agent was deleted.", null);
        var live = await Deployments.Where(d => d.ExpiresAt == null).OrderBy(d => d.CreatedAt).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        // Production leaves with no successor: the flag, then the agent's pointer, as one Demoted event.
        var pointer = Agent.ProductionDeploymentId;
        foreach (var d in live.Where(d => d.IsProduction)) d.WriteProduction(false, Now, Actor);
        if (pointer is not null)
        {
            Agent.WriteProductionPointer(null);
            Record(EventKind.Demoted, pointer, StatusField.Production, "true", "false", Reason);
        }

        foreach (var d in live)
        {
            d.WriteDeleted(expiresAt);
            Record(EventKind.Deleted, d.Id, StatusField.DeploymentDeleted, null, expiresAt.ToString("O"), Reason);
        }

        Agent.WriteDeleted(Now);
        Record(EventKind.AgentDeleted, null, StatusField.AgentDeleted, null, Now.ToString("O"), Reason);
    }

    /// <summary>This agent's guards, untracked, for reading inside the transaction.</summary>
    public IQueryable<Guard> Guards => _db.Guards.AsNoTracking().Where(g => g.AgentId == Agent.Id);

    /// <summary>The agent's guard that is watching (tracked), or null.</summary>
    public Task<Guard?> FindWatchingGuardAsync(CancellationToken cancellationToken) =>
        _db.Guards.FirstOrDefaultAsync(g => g.AgentId == Agent.Id && g.Status == GuardStatus.Watching, cancellationToken);

    public Task<Guard?> FindGuardAsync(Guid guardId, CancellationToken cancellationToken) =>
        _db.Guards.FirstOrDefaultAsync(g => g.Id == guardId && g.AgentId == Agent.Id, cancellationToken);

    /// <summary>
    /// Starts watching production deployment <paramref name="d"/>; a revert goes to <paramref name="lastGood"/>. The
    /// caller ends the agent's watching guard first (the unique index allows one).
    /// </summary>
    public Guard StartGuard(Deployment d, GuardSettings settings, Deployment? lastGood)
    {
        EnsureOwn(d);
        if (lastGood is not null) EnsureOwn(lastGood);
        var g = new Guard(Guid.CreateVersion7(), Agent.Id, d.Id, lastGood?.Id, settings, Now, Actor);
        _db.Guards.Add(g);
        var target = lastGood is null ? "nothing to revert to (no earlier healthy production)" : $"reverts to {lastGood.DockerImage.Value}";
        Record(EventKind.GuardStarted, d.Id, StatusField.Guard, null, GuardStatus.Watching.ToString(),
            $"Guard: {settings.Describe()}; {target}");
        return g;
    }

    /// <summary>
    /// Ends guard <paramref name="g"/> with its verdict. A revert's own record is the AutoReverted production change
    /// written beside it (<see cref="SetProductionAsync"/>), so <see cref="GuardStatus.Reverted"/> adds no second event.
    /// </summary>
    public Failure? EndGuard(Guard g, GuardStatus to, string? reason, GuardEvidence? evidence, Guid? revertedTo = null)
    {
        if (g.AgentId != Agent.Id) throw new InvalidOperationException("A status transaction only ends its own agent's guards.");
        if (!Transitions.IsAllowed(g.Status, to)) return Failure.Conflict($"A guard cannot go from {g.Status} to {to}.");
        g.WriteEnd(to, Now, reason, evidence, revertedTo);
        var kind = to switch
        {
            GuardStatus.Passed => EventKind.GuardPassed,
            GuardStatus.Aborted => EventKind.GuardAborted,
            GuardStatus.Breached => EventKind.GuardBreached,
            _ => (EventKind?)null,
        };
        if (kind is { } k) Record(k, g.DeploymentId, StatusField.Guard, GuardStatus.Watching.ToString(), to.ToString(), reason ?? Reason);
        return null;
    }

    /// <summary>Sets (or clears) the guard a promote of this agent carries when it names none.</summary>
    public void SetDefaultGuard(GuardSettings? settings) => Agent.SetDefaultGuard(settings);

    public Failure? Purge(Deployment d)
    {
        EnsureOwn(d);
        if (d.IsProduction) return Failure.Conflict("The production deployment is never purged.");
        if (!d.IsDeleted) return Failure.Conflict("Only a deleted deployment can be purged.");
        _db.Deployments.Remove(d);
        Record(EventKind.Purged, d.Id, StatusField.DeploymentPurged, d.DockerImage.Value, null, Reason);
        return null;
    }

    /// <summary>Sets a deployment's observed health; the agent's health follows its production deployment.</summary>
    public void SetDeploymentHealth(Deployment d, HealthStatus to, string? detail = null)
    {
        EnsureOwn(d);
        if (!Transitions.IsAllowed(d.Health, to))
        {
            d.Observed(Now);
            return;
        }

        var from = d.Health;
        d.WriteHealth(to, Now);
        Record(EventKind.HealthChanged, d.Id, StatusField.DeploymentHealth, from.ToString(), to.ToString(), detail ?? Reason);
        if (Agent.ProductionDeploymentId == d.Id) SetAgentHealth(to, detail);
    }

    /// <summary>Sets the agent's own health; used for agents routed through a legacy URL (no production deployment).</summary>
    public void SetAgentHealth(HealthStatus to, string? detail = null)
    {
        if (!Transitions.IsAllowed(Agent.Health, to)) return;
        var from = Agent.Health;
        Agent.WriteHealth(to);
        Record(EventKind.HealthChanged, null, StatusField.Health, from.ToString(), to.ToString(), detail ?? Reason);
    }

    public Failure? SetSync(SyncStatus to, string? error = null)
    {
        if (Agent.Sync == to)
        {
            if (error is not null) Agent.SetLastError(error);
            return null;
        }

        if (!Transitions.IsAllowed(Agent.Sync, to)) return Failure.Conflict($"Sync cannot go from {Agent.Sync} to {to}.");
        var from = Agent.Sync;
        Agent.WriteSync(to, to == SyncStatus.OutOfSync ? error : null);
        Record(EventKind.SyncChanged, null, StatusField.Sync, from.ToString(), to.ToString(), error ?? Reason);
        return null;
    }

    /// <summary>Records a registration: the agent's legacy URL (legacy path) or a deployment's URL.</summary>
    public void Registered(Deployment? d, string acpUrl, string? description)
    {
        if (d is null)
        {
            var from = Agent.AcpUrl;
            Agent.SetLegacyUrl(acpUrl);
            Record(EventKind.Registered, null, StatusField.AcpUrl, from, acpUrl, Reason);
        }
        else
        {
            EnsureOwn(d);
            var from = d.AcpUrl;
            d.SetAcpUrl(acpUrl);
            Record(EventKind.Registered, d.Id, StatusField.AcpUrl, from, acpUrl, Reason);
        }

        if (description is not null) Agent.SetDescription(description);
        Agent.Seen(Now);
    }

    /// <summary>True when this write creates the agent (<see cref="StatusChokepoint.EnsureAgentAsync"/>).</summary>
    internal bool AgentIsNew => _db.Entry(Agent).State == EntityState.Added;

    /// <summary>Records the creation of the agent: its first event.</summary>
    internal void AgentCreated() => Record(EventKind.Registered, null, StatusField.Agent, null, Agent.Name, Reason);

    public void UpdateMetadata(Deployment d, string metadataJson)
    {
        EnsureOwn(d);
        d.SetMetadata(metadataJson);
    }

    private void EnsureOwn(Deployment d)
    {
        if (d.AgentId != Agent.Id) throw new InvalidOperationException("A status transaction only changes its own agent's deployments.");
    }

    private void Record(EventKind kind, Guid? deploymentId, string field, string? from, string? to, string? reason)
    {
        var sequence = Agent.NextSequence();
        var e = new TimelineEvent(Agent.Id, deploymentId, kind, Actor, reason, from, to, Now, sequence);
        _db.Events.Add(e);
        // Published as stored: the event's clipped values, so a subscriber (and the scale-out relay's message) never
        // carries more than the timeline holds.
        _changes.Add(new StatusChange(Agent.Id, deploymentId, field, e.From, e.To, sequence, Now, kind, e.Actor, e.Reason));
    }
}
