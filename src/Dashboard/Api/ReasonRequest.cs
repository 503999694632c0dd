namespace Cutover.Dashboard.Api;

/// <summary>Body of promote: <c>{ reason?, expectedProductionDeploymentId?, guard? }</c>.</summary>
public sealed class ReasonRequest
{
    public string? Reason { get; set; }

    public Guid? ExpectedProductionDeploymentId { get; set; }

    /// <summary>Watch the promoted deployment and revert on trouble (API.md "Guarded promotion"); absent: the agent's default guard, if any.</summary>
    public GuardRequest? Guard { get; set; }
}
