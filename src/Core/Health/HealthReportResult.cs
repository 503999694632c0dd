using Cutover.Core.Domain;

namespace Cutover.Core.Health;

/// <summary>What a health report was applied to and the health now stored for it.</summary>
public sealed record HealthReportResult(Guid AgentId, Guid? DeploymentId, HealthStatus Health);
