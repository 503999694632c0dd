using System.Text.Json;

namespace Cutover.Dashboard.Api;

/// <summary>Body of POST /api/agents/{id}/deployments.</summary>
public sealed class CreateDeploymentRequest
{
    public string? DockerImage { get; set; }

    public JsonElement? RegistrationMetadata { get; set; }
}
