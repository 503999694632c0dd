namespace Cutover.Core.Guards;

/// <summary>A guard with its evidence: live while it watches, as it ended otherwise.</summary>
public sealed record GuardView(Guard Guard, GuardEvidence Evidence);
