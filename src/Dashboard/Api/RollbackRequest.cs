namespace Cutover.Dashboard.Api;

/// <summary>Body of rollback: <c>{ toDeploymentId?, reason?, expectedProductionDeploymentId? }</c>.</summary>
public sealed class RollbackRequest
{
    public Guid? ToDeploymentId { get; set; }

    public string? Reason { get; set; }

    public Guid? ExpectedProductionDeploymentId { get; set; }
}
