using Cutover.Core.Domain;
using Cutover.Core.Queries;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>Test data for the agent components: deployments and events as the queries return them.</summary>
internal static class Rows
{
    public static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    public static DeploymentRow Deployment(string tag, DeploymentStatus status = DeploymentStatus.Ready, bool production = false,
        bool deleted = false, string commit = "0123456789abcdef", string branch = "main", string author = "Ada", int ageMinutes = 30) =>
        new(Guid.NewGuid(), Guid.NewGuid(), $"registry.example.com/orders:{tag}", status, null,
            new DeploymentMetadata(commit, branch, author, null, null, null), production, HealthStatus.Unknown, null,
            Now.AddMinutes(-ageMinutes), production ? Now.AddMinutes(-5) : null, production ? "user:ops" : null,
            deleted ? Now.AddDays(7) : null);

    public static EventRow Event(EventKind kind, long sequence, Guid? deploymentId = null, string actor = "user:ops",
        string? reason = null, string? from = null, string? to = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), null, deploymentId, kind, actor, reason, from, to, Now.AddMinutes(-sequence), sequence);
}
