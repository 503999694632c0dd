using Cutover.Core.Domain;

namespace Cutover.Core.Sync;

/// <summary>How a sync ended: <see cref="SyncStatus.Synced"/>, or <see cref="SyncStatus.OutOfSync"/> with the error.</summary>
public sealed record SyncRunResult(SyncStatus Status, string? Error)
{
    public bool Succeeded => Status == SyncStatus.Synced;
}
