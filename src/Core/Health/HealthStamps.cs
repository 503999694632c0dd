using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Health;

/// <summary>
/// Single-statement "last seen" stamps. These columns are not status fields (no event, no publish), so they are
/// written directly, without loading the row, instead of through the chokepoint. Each stamp is conditional on the
/// health the caller believes is stored: zero rows means that belief is stale (or the row is gone) and the caller
/// goes through the chokepoint instead.
/// </summary>
public static class HealthStamps
{
    /// <summary>Sets <see cref="Deployment.LastHealthAt"/> when the deployment's stored health is <paramref name="expected"/>.</summary>
    public static Task<int> StampDeploymentAsync(CutoverDbContext db, Guid agentId, Guid deploymentId, HealthStatus expected,
        DateTime at, CancellationToken cancellationToken) =>
        db.Deployments
            .Where(d => d.Id == deploymentId && d.AgentId == agentId && d.Health == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastHealthAt, at), cancellationToken);

    /// <summary>
    /// Sets <see cref="Agent.LastSeenAt"/> (never backwards). With <paramref name="expectedHealth"/>, only when the
    /// agent has no production deployment and its own stored health is that value (a legacy agent's health stamp).
    /// </summary>
    public static Task<int> StampAgentAsync(CutoverDbContext db, Guid agentId, HealthStatus? expectedHealth, DateTime at,
        CancellationToken cancellationToken)
    {
        var query = db.Agents.Where(a => a.Id == agentId);
        if (expectedHealth is { } h)
        {
            query = query.Where(a => a.ProductionDeploymentId == null && a.Health == h);
            return query.ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, at), cancellationToken);
        }

        return query
            .Where(a => a.LastSeenAt == null || a.LastSeenAt < at)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, at), cancellationToken);
    }
}
