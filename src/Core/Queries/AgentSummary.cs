using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>The agent page's header: the agent's own fields and its production deployment.</summary>
public sealed record AgentSummary(
    Guid Id,
    string Name,
    string? Description,
    HealthStatus Health,
    SyncStatus Sync,
    DateTime? LastSeenAt,
    string? LastError,
    string? AcpUrl,
    DateTime CreatedAt,
    long Sequence,
    DeploymentRow? Production);
