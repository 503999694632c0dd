using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>One row of the agents overview: only what the grid shows, projected in SQL.</summary>
public sealed record AgentListRow(
    Guid Id,
    string Name,
    string? Description,
    HealthStatus Health,
    SyncStatus Sync,
    DateTime? LastSeenAt,
    Guid? ProductionDeploymentId,
    string? ProductionImage,
    string? ProductionCommit,
    int DeploymentCount,
    long Sequence);
