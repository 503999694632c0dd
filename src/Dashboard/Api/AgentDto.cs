using Cutover.Core.Domain;

namespace Cutover.Dashboard.Api;

/// <summary>The API's <c>Agent</c> (API.md). <c>deploymentId</c> is set on deployment-scoped registration replies;
/// <c>deletedAt</c> (an extension) when the agent was soft-deleted; <c>defaultGuard</c> (an extension) the guard a promote
/// carries when it names none.</summary>
public sealed record AgentDto(
    Guid Id,
    string Name,
    string? Description,
    string? AcpUrl,
    Guid? ProductionDeploymentId,
    HealthStatus Health,
    SyncStatus Sync,
    DateTime? LastSeenAt,
    string? LastError,
    DateTime CreatedAt,
    Guid? DeploymentId = null,
    DateTime? DeletedAt = null,
    GuardSettingsDto? DefaultGuard = null)
{
    public static AgentDto From(Agent a, Guid? deploymentId = null) =>
        new(a.Id, a.Name, a.Description, a.AcpUrl, a.ProductionDeploymentId, a.Health, a.Sync, a.LastSeenAt, a.LastError,
            a.CreatedAt, deploymentId, a.DeletedAt, a.DefaultGuard is { } g ? GuardSettingsDto.From(g) : null);
}
