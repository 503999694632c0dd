namespace Cutover.Core.Sources;

/// <summary>How one sync of a source ended: Succeeded (dispatched) or Failed with the reason.</summary>
public sealed record SourceSyncResult(Guid SyncId, SourceStatus Status, string? Commit, string? Error, IReadOnlyList<SyncAgentResult> Agents);
