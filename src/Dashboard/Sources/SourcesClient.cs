using Cutover.Core.Sources;

namespace Cutover.Dashboard.Sources;

/// <summary>
/// The Sources pages' one way to their data (STYLE.md 12, beside the dashboard seam): the sources, what each
/// declares and its sync history, the poller's next time, a manual sync through the one sync entry, and a signal
/// when a source changed. Authorization stays with the pages (<c>ActionGuard</c>) and the API.
/// </summary>
public sealed class SourcesClient(SourceService sources, SourceSyncService syncs, SourceNotifier notifier, SourcePollWorker polls)
{
    /// <summary>Raised (on whatever thread saved the change) when a source or one of its syncs changed.</summary>
    public event Action<Guid>? Changed
    {
        add => notifier.Changed += value;
        remove => notifier.Changed -= value;
    }

    public Task<IReadOnlyList<SourceView>> ListAsync(CancellationToken cancellationToken) => sources.ListAsync(cancellationToken);

    public Task<SourceView?> GetAsync(Guid id, CancellationToken cancellationToken) => sources.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<SourceAgent>> DeclaredAsync(Guid id, CancellationToken cancellationToken) => sources.DeclaredAsync(id, cancellationToken);

    public Task<IReadOnlyList<SourceSync>?> SyncsAsync(Guid id, int limit, CancellationToken cancellationToken) =>
        sources.SyncsAsync(id, limit, cancellationToken);

    public DateTimeOffset? NextPollAt(Guid id) => polls.NextPollAt(id);

    /// <summary>A person's "Sync now": the branch head, through the same entry as every other trigger.</summary>
    public Task<SyncTicket?> SyncNowAsync(Guid id, CancellationToken cancellationToken) =>
        syncs.RequestAsync(id, SyncTrigger.Manual, new BranchHead(), cancellationToken);
}
