using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Sources;

/// <summary>
/// The one sync entry point, <see cref="RequestAsync"/>, for every trigger (polling, the Sync button and API, GitHub
/// and generic webhooks, CI): they differ only in their <see cref="CommitResolver"/>. Per source at most one sync
/// runs; triggers arriving meanwhile coalesce into one next sync, at the newest trigger's commit. A sync runs
/// detached from its caller, so a caller that is cancelled or times out never leaves it half-done. Bookkeeping is
/// the same for every trigger: the source is Syncing, then Succeeded (commit resolved, manifest read, deploys
/// dispatched) or Failed with the reason; a commit or manifest that cannot be read fails the sync before any agent
/// is touched, so an empty commit is never synced. Each agent's sync (one round of <see cref="SyncRunner"/>, marked
/// in progress once) and deploy (<see cref="DeploymentLauncher"/> and its one interpreter) say whether its deploy finished.
/// </summary>
public sealed partial class SourceSyncService(
    IDbContextFactory<CutoverDbContext> dbFactory,
    GitCli git,
    ISourceSecrets secrets,
    StatusChokepoint chokepoint,
    SyncRunner sync,
    DeploymentLauncher deploys,
    DeploymentService deployments,
    TimeProvider time,
    SourceNotifier notifier,
    ILogger<SourceSyncService> logger,
    IChangeOutbox? outbox = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Lane> _lanes = [];
    private readonly HashSet<Task> _background = [];
    private readonly SemaphoreSlim _amend = new(1, 1);

    /// <summary>True while a sync of <paramref name="sourceId"/> runs (the poller skips it then).</summary>
    public bool IsRunning(Guid sourceId)
    {
        lock (_lock) return _lanes.ContainsKey(sourceId);
    }

    /// <summary>
    /// The one entry point. Null when there is no such source. The returned ticket's sync runs (or is queued) whether
    /// or not the caller waits for it.
    /// </summary>
    public async Task<SyncTicket?> RequestAsync(Guid sourceId, SyncTrigger trigger, CommitResolver resolver, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await db.Set<Source>().AnyAsync(s => s.Id == sourceId, cancellationToken).ConfigureAwait(false)) return null;
        }

        lock (_lock)
        {
            if (_lanes.TryGetValue(sourceId, out var lane))
            {
                // One sync runs; every trigger meanwhile shares the one next sync, at the newest trigger's commit.
                lane.Next ??= new Request(Guid.CreateVersion7(), trigger, resolver);
                lane.Next.Trigger = trigger;
                lane.Next.Resolver = resolver;
                return new SyncTicket(lane.Next.Id, lane.Next.Done.Task);
            }

            var first = new Request(Guid.CreateVersion7(), trigger, resolver);
            _lanes[sourceId] = new Lane();
            Track(Task.Run(() => RunLaneAsync(sourceId, first)));
            return new SyncTicket(first.Id, first.Done.Task);
        }
    }

    /// <summary>Awaits every sync and automatic promotion in flight (tests, shutdown).</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_lock) pending = [.. _background];
        return Task.WhenAll(pending).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A sync left Syncing by a crash of Cutover can no longer finish: Failed, "interrupted by a restart" (its agents
    /// are settled by <see cref="RestartRecovery"/> and the deploy service's stranded-deploy recovery).
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var sources = await db.Set<Source>().Where(s => s.Status == SourceStatus.Syncing).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var s in sources) s.MarkFailed(RestartRecovery.InterruptedError);
        var runs = await db.Set<SourceSync>().Where(s => s.Status == SourceStatus.Syncing).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in runs) r.End(SourceStatus.Failed, r.Commit, RestartRecovery.InterruptedError, r.Agents, now);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return sources.Count;
    }

    private async Task RunLaneAsync(Guid sourceId, Request request)
    {
        while (true)
        {
            SourceSyncResult result;
            try
            {
                result = await RunAsync(sourceId, request).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A bug or a broken database: the sync still ends, Failed, and the lane moves on.
                LogSyncThrew(logger, e, sourceId);
                result = await FailAfterThrowAsync(sourceId, request, e).ConfigureAwait(false);
            }

            request.Done.TrySetResult(result);
            lock (_lock)
            {
                var lane = _lanes[sourceId];
                if (lane.Next is null)
                {
                    _lanes.Remove(sourceId);
                    return;
                }

                request = lane.Next;
                lane.Next = null;
            }
        }
    }

    private async Task<SourceSyncResult> RunAsync(Guid sourceId, Request request)
    {
        // Detached from every caller: from here on the sync runs to Succeeded or Failed.
        var ct = CancellationToken.None;
        var actor = $"source:{request.Trigger.ToString().ToLowerInvariant()}";
        Source source;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            var found = await db.Set<Source>().FirstOrDefaultAsync(s => s.Id == sourceId, ct).ConfigureAwait(false);
            if (found is null) return new SourceSyncResult(request.Id, SourceStatus.Failed, null, "The source was deleted.", []);
            source = found;
            source.MarkSyncing();
            db.Add(new SourceSync(request.Id, sourceId, request.Trigger, time.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        notifier.Notify(sourceId);

        string? token;
        try
        {
            token = source.ProtectedAccessToken is { } p ? secrets.Unprotect(p) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return await EndAsync(sourceId, request.Id, null,
                "The source's access token cannot be decrypted with the current keys; create the source again with its token.", []).ConfigureAwait(false);
        }

        var resolved = await request.Resolver.ResolveAsync(git, source, token, ct).ConfigureAwait(false);
        if (!resolved.IsSuccess) return await EndAsync(sourceId, request.Id, null, $"Commit lookup failed: {resolved.Failure!.Detail}", []).ConfigureAwait(false);
        var commit = resolved.Value!;

        var text = await git.ReadFileAsync(sourceId, commit.Sha, source.Path, ct).ConfigureAwait(false);
        if (!text.IsSuccess) return await EndAsync(sourceId, request.Id, commit, text.Failure!.Detail, []).ConfigureAwait(false);
        var manifest = ManifestParser.Parse(text.Value!);
        if (!manifest.IsValid)
            return await EndAsync(sourceId, request.Id, commit, $"The manifest '{source.Path}' is invalid: {manifest.Describe()}", []).ConfigureAwait(false);

        var results = await ApplyAsync(source, commit, manifest.Manifest!, request, actor).ConfigureAwait(false);
        return await EndAsync(sourceId, request.Id, commit, null, results).ConfigureAwait(false);
    }

    private async Task<SourceSyncResult> EndAsync(Guid sourceId, Guid syncId, GitCommit? commit, string? error, IReadOnlyList<SyncAgentResult> agents)
    {
        var status = error is null ? SourceStatus.Succeeded : SourceStatus.Failed;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var source = await db.Set<Source>().FirstOrDefaultAsync(s => s.Id == sourceId).ConfigureAwait(false);
        if (source is not null)
        {
            if (error is null) source.MarkSucceeded(commit!, now);
            else source.MarkFailed(error);
        }

        var run = await db.Set<SourceSync>().FirstOrDefaultAsync(s => s.Id == syncId).ConfigureAwait(false);
        run?.End(status, commit?.Sha, error, agents, now);
        // The failure's notification is saved with the failure itself, never without it.
        if (error is not null && source is not null && outbox is not null)
        {
            var actor = run is null ? "source" : $"source:{run.Trigger.ToString().ToLowerInvariant()}";
            await outbox.EnqueueSourceFailedAsync(db, source.Id, source.Name, error, actor, now, CancellationToken.None).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        notifier.Notify(sourceId);
        if (error is not null) LogSyncFailed(logger, sourceId, error);
        return new SourceSyncResult(syncId, status, commit?.Sha, error, agents);
    }

    private async Task<SourceSyncResult> FailAfterThrowAsync(Guid sourceId, Request request, Exception e)
    {
        try
        {
            return await EndAsync(sourceId, request.Id, null, $"The sync failed unexpectedly: {e.Message}", []).ConfigureAwait(false);
        }
        catch (Exception again)
        {
            LogSyncThrew(logger, again, sourceId);
            return new SourceSyncResult(request.Id, SourceStatus.Failed, null, e.Message, []);
        }
    }

    private void Track(Task task)
    {
        lock (_lock) _background.Add(task);
        _ = task.ContinueWith(t =>
        {
            lock (_lock) _background.Remove(t);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class Lane
    {
        public Request? Next { get; set; }
    }

    private sealed class Request(Guid id, SyncTrigger trigger, CommitResolver resolver)
    {
        public Guid Id { get; } = id;

        public SyncTrigger Trigger { get; set; } = trigger;

        public CommitResolver Resolver { get; set; } = resolver;

        public TaskCompletionSource<SourceSyncResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(LogLevel.Error, "The sync of source {SourceId} threw")]
    private static partial void LogSyncThrew(ILogger logger, Exception e, Guid sourceId);

    [LoggerMessage(LogLevel.Warning, "The sync of source {SourceId} failed: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, Guid sourceId, string error);

    [LoggerMessage(LogLevel.Warning, "Applying declared agent {Name} failed")]
    private static partial void LogApplyFailed(ILogger logger, Exception e, string name);
}
