using System.Text.Json;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Api;

/// <summary>The API's <c>Deployment</c> (API.md).</summary>
public sealed record DeploymentDto(
    Guid Id,
    Guid AgentId,
    string DockerImage,
    JsonElement RegistrationMetadata,
    DeploymentStatus Status,
    string? StatusDetail,
    string? AcpUrl,
    bool IsProduction,
    HealthStatus Health,
    DateTime CreatedAt,
    DateTime? PromotedAt,
    string? PromotedBy,
    DateTime? ExpiresAt)
{
    public static DeploymentDto From(Deployment d)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(d.MetadataJson) ? "{}" : d.MetadataJson);
        return new(d.Id, d.AgentId, d.DockerImage.Value, doc.RootElement.Clone(), d.Status, d.StatusDetail, d.AcpUrl,
            d.IsProduction, d.Health, d.CreatedAt, d.PromotedAt, d.PromotedBy, d.ExpiresAt);
    }
}
