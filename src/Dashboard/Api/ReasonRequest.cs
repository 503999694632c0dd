namespace Cutover.Dashboard.Api;

/// <summary>Body of promote: <c>{ reason?, expectedProductionDeploymentId? }</c>.</summary>
public sealed class ReasonRequest
{
    public string? Reason { get; set; }

    public Guid? ExpectedProductionDeploymentId { get; set; }
}
