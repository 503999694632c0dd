using Cutover.Core.Domain;

namespace Cutover.Core.Provisioning;

/// <summary>One agent of a spec, already checked field by field at the edge.</summary>
public sealed record AgentSpec(string Name, DockerImage Image, string? Description, string MetadataJson);
