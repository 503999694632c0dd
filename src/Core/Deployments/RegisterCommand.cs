namespace Cutover.Core.Deployments;

/// <summary>A validated registration. <see cref="MetadataJson"/> is a JSON object or null.</summary>
public sealed record RegisterCommand(
    string Name,
    string? Description,
    string AcpUrl,
    Guid? DeploymentId,
    string? DockerImage,
    string? MetadataJson);
