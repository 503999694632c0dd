using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Health;

/// <summary>
/// Turns observations (agent reports, probe results, the passing of time) into health. The rules live in
/// <see cref="HealthTracker"/>; this class applies its decisions: a transition goes through the status chokepoint
/// (one row, one event, one publish), a repeated observation only stamps "last seen" with one conditional UPDATE at
/// most once per <see cref="HealthOptions.LastSeenThrottle"/>, and anything else costs nothing.
/// </summary>
public sealed class HealthMonitor
{
    public const string ProbeActor = "system:probe";
    public const string LivenessActor = "system:liveness";

    private readonly StatusChokepoint _chokepoint;
    private readonly IDbContextFactory<CutoverDbContext> _dbFactory;
    private readonly IWriteGate _gate;
    private readonly StatusBus _bus;
    private readonly TimeProvider _time;
    private readonly HealthOptions _options;
    private readonly ILogger<HealthMonitor> _logger;
    private readonly HealthTracker _tracker;

    public HealthMonitor(StatusChokepoint chokepoint, IDbContextFactory<CutoverDbContext> dbFactory, IWriteGate gate,
        StatusBus bus, TimeProvider time, IOptions<HealthOptions> options, ILogger<HealthMonitor> logger)
    {
        _chokepoint = chokepoint;
        _dbFactory = dbFactory;
        _gate = gate;
        _bus = bus;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _tracker = new HealthTracker(_options);
    }

    /// <summary>The agent's live state from the bus (no query on the hot path), or from the database.</summary>
    public async Task<AgentLiveState?> FindAgentAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (_bus.Current(agentId) is { } live) return live;
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken).ConfigureAwait(false);
        return agent is null ? null : AgentLiveState.From(agent);
    }

    /// <summary>
    /// Applies a report the agent posted about itself. Without a deployment id it is about the production deployment,
    /// or, for an agent routed through a legacy URL, about the agent itself.
    /// </summary>
    public async Task<Outcome<HealthReportResult>> ReportAsync(AgentLiveState agent, Guid? deploymentId, HealthStatus status,
        string? detail, string actor, CancellationToken cancellationToken)
    {
        var target = deploymentId is { } id ? HealthTarget.ForDeployment(agent.AgentId, id)
            : agent.ProductionDeploymentId is { } production ? HealthTarget.ForDeployment(agent.AgentId, production)
            : HealthTarget.ForAgent(agent.AgentId);

        Outcome<HealthStatus> outcome;
        var now = _time.GetUtcNow().UtcDateTime;
        using (await _tracker.EnterAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var decision = _tracker.Report(target, status, now);
            outcome = await ApplyAsync(target, decision, actor, detail, now, followProduction: true, cancellationToken).ConfigureAwait(false);
        }

        if (!outcome.IsSuccess) return outcome.Failure!;
        if (_tracker.ShouldStampAgent(agent.AgentId, now)) await StampAgentSeenAsync(agent.AgentId, now, cancellationToken).ConfigureAwait(false);
        return new HealthReportResult(target.AgentId, target.DeploymentId, outcome.Value);
    }

    /// <summary>Applies one probe result; returns the health now stored, or null when nothing was decided.</summary>
    public async Task<HealthStatus?> ProbeResultAsync(HealthTarget target, bool success, string? detail, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        using (await _tracker.EnterAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var decision = _tracker.Probe(target, success, now);
            if (decision.Kind == HealthDecisionKind.NoWrite) return _tracker.Known(target);
            var reason = success ? "Health probe succeeded" : $"{_options.UnhealthyAfter} health probes in a row failed: {detail}";
            var outcome = await ApplyAsync(target, decision, ProbeActor, reason, now, followProduction: false, cancellationToken).ConfigureAwait(false);
            return outcome.IsSuccess ? outcome.Value : null;
        }
    }

    /// <summary>
    /// Makes health Unknown wherever the liveness window closed without evidence: targets this process knows, and
    /// rows the database holds as Healthy/Unhealthy with an old stamp (written before a restart or by another node).
    /// Returns how many targets became Unknown.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var cutoff = now - _options.LivenessWindow;
        var candidates = new HashSet<HealthTarget>(_tracker.StaleTargets(now));
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var deployments = await db.Deployments.AsNoTracking()
                .Where(d => d.Health != HealthStatus.Unknown && (d.LastHealthAt == null || d.LastHealthAt < cutoff))
                .OrderBy(d => d.LastHealthAt) // the longest silent first; the rest are next sweep's
                .Select(d => new { d.AgentId, d.Id })
                .Take(1000)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            candidates.UnionWith(deployments.Select(d => HealthTarget.ForDeployment(d.AgentId, d.Id)));
            var agents = await db.Agents.AsNoTracking()
                .Where(a => a.ProductionDeploymentId == null && a.Health != HealthStatus.Unknown && (a.LastSeenAt == null || a.LastSeenAt < cutoff))
                .OrderBy(a => a.LastSeenAt)
                .Select(a => a.Id)
                .Take(1000)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            candidates.UnionWith(agents.Select(HealthTarget.ForAgent));
        }

        var changed = 0;
        foreach (var target in candidates)
        {
            using (await _tracker.EnterAsync(target, cancellationToken).ConfigureAwait(false))
            {
                // Evidence may have arrived since the candidates were listed.
                if (_tracker.HasFreshEvidence(target, now) || _tracker.Known(target) == HealthStatus.Unknown) continue;
                var reason = $"No report or successful probe within {_options.LivenessWindow.TotalSeconds:0} s";
                var outcome = await WriteAsync(target, HealthStatus.Unknown, LivenessActor, reason, followProduction: false, cancellationToken).ConfigureAwait(false);
                if (outcome.IsSuccess)
                {
                    _tracker.Written(target, HealthStatus.Unknown, now);
                    changed++;
                }
                else
                {
                    _tracker.Invalidate(target);
                }
            }
        }

        _tracker.Prune(now);
        return changed;
    }

    private async Task<Outcome<HealthStatus>> ApplyAsync(HealthTarget target, HealthDecision decision, string actor, string? reason,
        DateTime now, bool followProduction, CancellationToken cancellationToken)
    {
        switch (decision.Kind)
        {
            case HealthDecisionKind.NoWrite:
                return decision.To;
            case HealthDecisionKind.Touch:
                if (await StampTargetAsync(target, decision.To, now, cancellationToken).ConfigureAwait(false))
                {
                    _tracker.Stamped(target, now);
                    return decision.To;
                }

                // The stored health is not what this process last wrote (another node, or the row is gone):
                // decide again through the chokepoint.
                _tracker.Invalidate(target);
                break;
        }

        var outcome = await WriteAsync(target, decision.To, actor, reason, followProduction, cancellationToken).ConfigureAwait(false);
        if (outcome.IsSuccess) _tracker.Written(target, outcome.Value, now);
        else _tracker.Invalidate(target);
        return outcome;
    }

    private Task<Outcome<HealthStatus>> WriteAsync(HealthTarget target, HealthStatus to, string actor, string? reason,
        bool followProduction, CancellationToken cancellationToken) =>
        _chokepoint.UpdateStatusAsync<HealthStatus>(target.AgentId, actor, reason, async (t, ct) =>
        {
            var deploymentId = target.DeploymentId;
            if (deploymentId is null && t.Agent.ProductionDeploymentId is { } production)
            {
                // The agent was promoted to a deployment since the target was resolved: its health is now that
                // deployment's. A report follows it; a probe or sweep of the old legacy target no longer applies.
                if (!followProduction) return Failure.Conflict("The agent now takes its production deployment's health.");
                deploymentId = production;
            }

            if (deploymentId is { } id)
            {
                var d = await t.FindDeploymentAsync(id, ct).ConfigureAwait(false);
                if (d is null) return Failure.NotFound($"Agent has no deployment {id}.");
                t.SetDeploymentHealth(d, to, reason);
                return d.Health;
            }

            t.SetAgentHealth(to, reason);
            return t.Agent.Health;
        }, cancellationToken);

    private async Task<bool> StampTargetAsync(HealthTarget target, HealthStatus expected, DateTime now, CancellationToken cancellationToken)
    {
        using var entered = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = target.DeploymentId is { } id
            ? await HealthStamps.StampDeploymentAsync(db, target.AgentId, id, expected, now, cancellationToken).ConfigureAwait(false)
            : await HealthStamps.StampAgentAsync(db, target.AgentId, expected, now, cancellationToken).ConfigureAwait(false);
        return rows > 0;
    }

    private async Task StampAgentSeenAsync(Guid agentId, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            using var entered = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await HealthStamps.StampAgentAsync(db, agentId, null, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // "Last seen" is informational; a report must not fail because its stamp could not be written.
            _logger.LogWarning(e, "Could not stamp last-seen of agent {AgentId}", agentId);
        }
    }
}
