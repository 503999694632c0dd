using Cutover.Core.Health;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Live;

/// <summary>
/// Publishes "last seen" moves to the dashboard seam. Health reports and probes stamp <c>LastSeenAt</c> without a
/// status change (at most once per <see cref="HealthOptions.LastSeenThrottle"/> per agent), so nothing is on the
/// status bus for it: this one loop per process reads the stamps newer than the last it saw, once per throttle
/// window, and hands them to every open page, instead of each page polling the database.
/// </summary>
public sealed class LastSeenFeed(
    IDbContextFactory<CutoverDbContext> dbFactory,
    TimeProvider time,
    IOptions<HealthOptions> health,
    ILogger<LastSeenFeed> logger) : BackgroundService
{
    /// <summary>Stamps are written by concurrent writers: look a little behind the newest one seen (repeats are skipped).</summary>
    private static readonly TimeSpan StampSkew = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly List<Action<IReadOnlyList<AgentSeen>>> _subscribers = [];
    private readonly Dictionary<Guid, DateTime> _published = [];

    public IDisposable Subscribe(Action<IReadOnlyList<AgentSeen>> onSeen)
    {
        lock (_lock) _subscribers.Add(onSeen);
        return new Unsubscriber(() =>
        {
            lock (_lock) _subscribers.Remove(onSeen);
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = health.Value.LastSeenThrottle > TimeSpan.Zero ? health.Value.LastSeenThrottle : TimeSpan.FromSeconds(10);
        var since = time.GetUtcNow().UtcDateTime;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    since = await PublishSinceAsync(since, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Reading last-seen stamps failed; the next round tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the stamps at or after <paramref name="since"/> not published yet; returns the new watermark.</summary>
    internal async Task<DateTime> PublishSinceAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamps = await db.Agents.AsNoTracking()
            .Where(a => a.LastSeenAt != null && a.LastSeenAt >= since - StampSkew)
            .Select(a => new { a.Id, a.LastSeenAt })
            .ToListAsync(cancellationToken);
        var seen = new List<AgentSeen>();
        foreach (var s in stamps)
        {
            var at = s.LastSeenAt!.Value;
            if (_published.TryGetValue(s.Id, out var known) && known >= at) continue;
            _published[s.Id] = at;
            seen.Add(new AgentSeen(s.Id, at));
            if (at > since) since = at;
        }

        if (seen.Count == 0) return since;
        Action<IReadOnlyList<AgentSeen>>[] subscribers;
        lock (_lock) subscribers = [.. _subscribers];
        foreach (var s in subscribers) s(seen);
        return since;
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
