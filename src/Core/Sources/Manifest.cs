namespace Cutover.Core.Sources;

/// <summary>A valid manifest: the agents a source declares, names unique.</summary>
public sealed record Manifest(IReadOnlyList<DeclaredAgent> Agents);
