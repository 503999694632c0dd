namespace Cutover.Core.Domain;

public enum SyncStatus
{
    Unknown,
    Synced,
    OutOfSync,
    Syncing,
}
