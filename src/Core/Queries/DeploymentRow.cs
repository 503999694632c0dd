using Cutover.Core.Domain;
using Cutover.Core.Status;

namespace Cutover.Core.Queries;

/// <summary>A deployment as the dashboard shows it, with its registration metadata already parsed.</summary>
public sealed record DeploymentRow(
    Guid Id,
    Guid AgentId,
    string Image,
    DeploymentStatus Status,
    string? StatusDetail,
    DeploymentMetadata Metadata,
    bool IsProduction,
    HealthStatus Health,
    string? AcpUrl,
    DateTime CreatedAt,
    DateTime? PromotedAt,
    string? PromotedBy,
    DateTime? ExpiresAt,
    DateTime? StatusChangedAt = null,
    DateTime? LastRpcAt = null)
{
    public bool IsDeleted => ExpiresAt is not null;

    /// <summary>Mirrors the rule the chokepoint enforces, so the UI only offers what can succeed.</summary>
    public bool CanBePromoted => !IsProduction && Transitions.CannotServeProduction(Status, IsDeleted) is null;

    public string ShortId => Id.ToString("N")[^8..];

    /// <summary>Offered Stop (when the runtime runs it): production never stops, a Failed or deleted one has nothing running.</summary>
    public bool CanBeStopped => !IsProduction && !IsDeleted && Status is DeploymentStatus.Ready or DeploymentStatus.Pending;

    public bool CanBeStarted => !IsDeleted && Status == DeploymentStatus.Stopped;

    public static DeploymentRow From(Deployment d) => new(
        d.Id, d.AgentId, d.DockerImage.Value, d.Status, d.StatusDetail, d.Metadata, d.IsProduction, d.Health, d.AcpUrl,
        d.CreatedAt, d.PromotedAt, d.PromotedBy, d.ExpiresAt, d.StatusChangedAt, d.LastRpcAt);
}
