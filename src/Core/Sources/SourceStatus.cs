namespace Cutover.Core.Sources;

/// <summary>Whether a source's last sync was dispatched (commit resolved, manifest read, deploys started).</summary>
public enum SourceStatus
{
    Unknown,
    Syncing,
    Succeeded,
    Failed,
}
