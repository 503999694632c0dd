using System.Text.Json.Serialization;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Health;

/// <summary>The 202 reply to a health report: what it was applied to and the health now stored.</summary>
public sealed record HealthReportReply(
    Guid AgentId,
    Guid? DeploymentId,
    // API.md: enums are strings, whatever the app-wide JSON options say.
    [property: JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))] HealthStatus Health);
