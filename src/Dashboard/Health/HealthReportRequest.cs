using Cutover.Core.Domain;
using Cutover.Core.Results;

namespace Cutover.Dashboard.Health;

/// <summary>
/// The body of <c>POST /api/agents/{id}/health</c>: <c>{ status, deploymentId?, detail? }</c>, read by
/// <see cref="Api.ApiJson"/> like every other body. The status stays a string here so that "Unknown" and a bad value
/// get this endpoint's own answer, naming the field.
/// </summary>
public sealed record HealthReportRequest(string? Status, Guid? DeploymentId, string? Detail)
{
    /// <summary>A report is small; anything larger is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public Outcome<(HealthStatus Status, Guid? DeploymentId, string? Detail)> Validate()
    {
        if (Status is null) return Failure.Invalid("status", "status is required: \"Healthy\" or \"Unhealthy\".");
        if (!TryParseStatus(Status, out var status)) return Failure.Invalid("status", "status must be \"Healthy\" or \"Unhealthy\".");
        if (Detail is { Length: > TimelineEvent.ReasonMaxLength })
            return Failure.Invalid("detail", $"detail must be at most {TimelineEvent.ReasonMaxLength} characters.");
        return (status, DeploymentId, string.IsNullOrEmpty(Detail) ? null : Detail);
    }

    /// <summary>
    /// Healthy or Unhealthy, by name. "Unknown" is refused: it is what the control plane concludes when nothing is
    /// observed, not something an agent can observe about itself.
    /// </summary>
    private static bool TryParseStatus(string text, out HealthStatus status)
    {
        status = default;
        if (string.Equals(text, nameof(HealthStatus.Healthy), StringComparison.OrdinalIgnoreCase)) status = HealthStatus.Healthy;
        else if (string.Equals(text, nameof(HealthStatus.Unhealthy), StringComparison.OrdinalIgnoreCase)) status = HealthStatus.Unhealthy;
        else return false;
        return true;
    }
}
