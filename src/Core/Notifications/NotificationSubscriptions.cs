using System.Collections.Frozen;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Notifications;

/// <summary>
/// The subscriptions the outbox routes events to, read through the writing transaction's own context. On one node
/// (SQLite) every subscription is created and removed here, so the list is cached and dropped on each create and
/// remove: with no subscriptions an event costs a lookup in memory. With several nodes (<see cref="Shared"/>) another
/// node may have changed it, so it is read in every transaction that raises an event (a small table, one query).
/// </summary>
public sealed class NotificationSubscriptions
{
    private IReadOnlyList<SubscriptionRoute>? _cached;
    private long _version;

    /// <summary>True when other nodes share the database (PostgreSQL): nothing is cached.</summary>
    public bool Shared { get; set; }

    public async ValueTask<IReadOnlyList<SubscriptionRoute>> GetAsync(CutoverDbContext db, CancellationToken cancellationToken)
    {
        if (!Shared && Volatile.Read(ref _cached) is { } cached) return cached;
        var version = Interlocked.Read(ref _version);
        var rows = await db.Set<NotificationSubscription>().AsNoTracking()
            .Select(s => new { s.Id, s.Name, s.EventList })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SubscriptionRoute> list = rows
            .Select(r => new SubscriptionRoute(r.Id, r.Name, r.EventList.Split(',', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal)))
            .ToList();
        // A create or remove that committed while this read ran must not be hidden by caching what it read.
        if (!Shared && Interlocked.Read(ref _version) == version) Interlocked.CompareExchange(ref _cached, list, null);
        return list;
    }

    /// <summary>Called after a subscription was created or removed (after its commit).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _cached, null);
    }
}
