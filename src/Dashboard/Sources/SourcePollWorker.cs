using Cutover.Core.Persistence;
using Cutover.Core.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Sources;

/// <summary>
/// The polling trigger: each source with a poll interval is synced at its branch head every interval (jittered by
/// up to a tenth, so sources created together do not poll together), and skipped while a sync of it runs. With
/// several nodes, only the node holding the source-polling job polls (the sync itself may run on any node).
/// </summary>
public sealed partial class SourcePollWorker(
    IDbContextFactory<CutoverDbContext> dbFactory,
    SourceSyncService syncs,
    IOptions<SourceOptions> options,
    TimeProvider time,
    ScaleOut.SingletonLeases leases,
    ILogger<SourcePollWorker> logger) : BackgroundService
{
    private readonly Dictionary<Guid, DateTimeOffset> _due = [];

    /// <summary>When each source is next polled (for the Sources page).</summary>
    public DateTimeOffset? NextPollAt(Guid sourceId)
    {
        lock (_due) return _due.TryGetValue(sourceId, out var at) ? at : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollTick, time);
        do
        {
            // Every node ticks (PollTick, a second by default); only the job's holder polls.
            if (!await leases.HoldsAsync(ScaleOut.SingletonLeases.SourcePolling, stoppingToken)) continue;
            try
            {
                await PollDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollDueAsync(CancellationToken cancellationToken)
    {
        List<(Guid Id, TimeSpan Interval)> sources;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            sources = (await db.Set<Source>().AsNoTracking().Select(s => new { s.Id, s.PollInterval }).ToListAsync(cancellationToken))
                .Where(s => s.PollInterval > TimeSpan.Zero).Select(s => (s.Id, s.PollInterval)).ToList();
        }

        var now = time.GetUtcNow();
        var due = new List<(Guid Id, TimeSpan Interval)>();
        lock (_due)
        {
            foreach (var gone in _due.Keys.Except(sources.Select(s => s.Id)).ToList()) _due.Remove(gone);
            foreach (var s in sources)
            {
                // A new source is polled at once; then every interval.
                if (!_due.TryGetValue(s.Id, out var at) || at <= now) due.Add(s);
            }
        }

        foreach (var s in due)
        {
            if (!syncs.IsRunning(s.Id)) await syncs.RequestAsync(s.Id, SyncTrigger.Poll, new BranchHead(), cancellationToken);
            var jitter = TimeSpan.FromTicks((long)(s.Interval.Ticks * 0.1 * Random.Shared.NextDouble()));
            lock (_due) _due[s.Id] = now + s.Interval - jitter;
        }
    }

    [LoggerMessage(LogLevel.Error, "Polling sources failed; it runs again at the next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception e);
}
