using Cutover.Core.Domain;

namespace Cutover.Core.Sources;

/// <summary>One agent as a manifest declares it.</summary>
public sealed record DeclaredAgent(
    string Name,
    DockerImage Image,
    string? Description,
    PromoteMode Promote,
    DeclaredGuard? Guard,
    IReadOnlyDictionary<string, string> Metadata);
