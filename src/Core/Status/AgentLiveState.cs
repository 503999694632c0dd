using Cutover.Core.Domain;

namespace Cutover.Core.Status;

/// <summary>An agent's status as of its <see cref="Sequence"/>: what a subscriber's snapshot holds.</summary>
public sealed record AgentLiveState(
    Guid AgentId,
    string Name,
    HealthStatus Health,
    SyncStatus Sync,
    Guid? ProductionDeploymentId,
    long Sequence)
{
    public static AgentLiveState From(Agent a) => new(a.Id, a.Name, a.Health, a.Sync, a.ProductionDeploymentId, a.LastSequence);
}
