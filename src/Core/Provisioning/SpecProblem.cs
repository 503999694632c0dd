namespace Cutover.Core.Provisioning;

/// <summary>
/// One thing wrong with a spec, naming its field (<c>agents[2].image</c>). <see cref="Conflict"/> problems are names
/// that already exist (409); every other problem is the spec's own fault (400).
/// </summary>
public sealed record SpecProblem(string Field, string Detail, bool Conflict = false);
