using System.Text.Json;

namespace Cutover.Dashboard.Api;

/// <summary>Body of POST /api/agents/register (API.md).</summary>
public sealed class RegisterRequest
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? AcpUrl { get; set; }

    /// <summary>Free-form object; <c>deploymentId</c> and <c>dockerImage</c> are read from it.</summary>
    public JsonElement? RegistrationMetadata { get; set; }
}
