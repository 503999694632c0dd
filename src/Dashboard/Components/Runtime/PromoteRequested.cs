namespace Cutover.Dashboard.Components.Runtime;

/// <summary>The deploy dialog closed with "Promote now" on the deployment it followed to Ready.</summary>
public sealed record PromoteRequested(Guid DeploymentId);
