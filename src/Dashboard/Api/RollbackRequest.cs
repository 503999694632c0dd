namespace Cutover.Dashboard.Api;

/// <summary>Body of rollback: <c>{ toDeploymentId?, reason?, expectedProductionDeploymentId?, guard? }</c>.</summary>
public sealed class RollbackRequest
{
    public Guid? ToDeploymentId { get; set; }

    public string? Reason { get; set; }

    public Guid? ExpectedProductionDeploymentId { get; set; }

    /// <summary>Watch the deployment rolled back to (an extension of API.md; a rollback carries no default guard).</summary>
    public GuardRequest? Guard { get; set; }
}
