namespace Cutover.Core.Sources;

/// <summary>
/// A trigger's place in a source's sync: the id of the sync that will serve it (shared by triggers that coalesced)
/// and that sync's end.
/// </summary>
public sealed record SyncTicket(Guid SyncId, Task<SourceSyncResult> Completion);
