namespace Cutover.Core.Sources;

/// <summary>What asked for a sync. Every trigger goes through the same entry point; only its commit resolver differs.</summary>
public enum SyncTrigger
{
    Poll,
    Manual,
    Webhook,
    Ci,
}
