using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Dashboard.ScaleOut;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// Delivers the outbox: every <see cref="NotificationOptions.PollInterval"/> the node holding the notifications
/// lease reads each subscription's due rows (oldest first, up to a batch each), sends them in order (subscriptions in parallel), and
/// writes each attempt's outcome to its row: Delivered, or the next attempt (exponential backoff with jitter), or
/// Dead after too many attempts or too long. A receiver that fails stops its subscription's round, so a down
/// receiver gets one attempt per due row, never a burst. Rows live in the database, so a restart loses none.
/// </summary>
public sealed partial class NotificationDeliveryWorker(
    IDbContextFactory<CutoverDbContext> dbFactory,
    WebhookSender sender,
    INotificationSecrets secrets,
    NotificationService notifications,
    SingletonLeases leases,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDeliveryWorker> logger) : BackgroundService
{
    private long _askAgainAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            if (!await HoldsLeaseAsync(stoppingToken)) continue;
            try
            {
                // A full batch where nothing failed means more may be due: go on at once instead of waiting a tick.
                // A round with a failure waits, so a receiver that is down never sees a burst.
                while (await DeliverDueAsync(stoppingToken) is { Taken: var taken, Failed: false } && taken >= options.Value.BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Whether this node delivers. A node that does not hold the job asks again only after
    /// <see cref="SingletonLeases.StandbyCheck"/> (asking opens a connection), not every poll.
    /// </summary>
    private async ValueTask<bool> HoldsLeaseAsync(CancellationToken cancellationToken)
    {
        if (time.GetTimestamp() < Interlocked.Read(ref _askAgainAt)) return false;
        if (await leases.HoldsAsync(SingletonLeases.Notifications, cancellationToken)) return true;
        Interlocked.Exchange(ref _askAgainAt, time.GetTimestamp() + (long)(SingletonLeases.StandbyCheck.TotalSeconds * time.TimestampFrequency));
        return false;
    }

    /// <summary>One round: the most due rows it took for one subscription, and whether any attempt failed.</summary>
    internal async Task<(int Taken, bool Failed)> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        List<NotificationDelivery> due;
        Dictionary<Guid, Target> targets;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Each subscription's own oldest due rows: a receiver that is down with a long backlog must not fill
            // the batch and starve the others.
            var ids = await db.Set<NotificationDelivery>().AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                .Select(d => d.SubscriptionId).Distinct().ToListAsync(cancellationToken);
            if (ids.Count == 0) return (0, false);
            due = [];
            foreach (var id in ids)
            {
                due.AddRange(await db.Set<NotificationDelivery>().AsNoTracking()
                    .Where(d => d.SubscriptionId == id && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                    .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Take(o.BatchSize)
                    .ToListAsync(cancellationToken));
            }

            targets = await db.Set<NotificationSubscription>().AsNoTracking().Where(s => ids.Contains(s.Id))
                .ToDictionaryAsync(s => s.Id, s => new Target(s.Name, s.Url, s.ProtectedSecret), cancellationToken);
            // Rows of a subscription removed meanwhile (its delete removes them too; this is the race's tail).
            var orphans = due.Where(d => !targets.ContainsKey(d.SubscriptionId)).Select(d => d.Id).ToList();
            if (orphans.Count > 0) await db.Set<NotificationDelivery>().Where(d => orphans.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        var groups = due.Where(d => targets.ContainsKey(d.SubscriptionId)).GroupBy(d => d.SubscriptionId).ToList();
        var failed = 0;
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallel, CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                var target = targets[group.Key];
                foreach (var delivery in group)
                {
                    if (await AttemptAsync(delivery, target, ct)) continue;
                    Interlocked.Exchange(ref failed, 1);
                    break;
                }
            });
        notifications.Notify();
        // "Full" when some subscription filled its share: more of its rows may be due.
        return (groups.Count == 0 ? 0 : groups.Max(g => g.Count()), failed == 1);
    }

    private async Task<bool> AttemptAsync(NotificationDelivery delivery, Target target, CancellationToken cancellationToken)
    {
        AttemptResult result;
        try
        {
            var secret = target.ProtectedSecret is { } p ? secrets.Unprotect(p) : null;
            result = await sender.SendAsync(delivery, target.Url, secret, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            result = new AttemptResult(false, null, "The subscription's secret cannot be decrypted with the current keys; add the subscription again.");
        }

        var o = options.Value;
        var at = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.Attach(delivery);
        if (result.Delivered)
        {
            delivery.Succeeded(result.StatusCode!.Value, at);
        }
        else
        {
            var next = RetrySchedule.Next(o, delivery.Attempts + 1, delivery.CreatedAt, at, Random.Shared.NextDouble());
            delivery.Failed(result.StatusCode, result.Error ?? "failed", at, next);
            if (next is null) LogDead(logger, delivery.Id, delivery.Event, target.Name, delivery.Attempts, delivery.LastError!);
            else LogRetry(logger, delivery.Id, delivery.Event, target.Name, delivery.Attempts, delivery.LastError!, next.Value);
        }

        try
        {
            // Written even when the host is stopping: an attempt that was made is recorded.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The subscription (and with it this row) was removed while the attempt ran: nothing left to record.
        }

        return result.Delivered;
    }

    private sealed record Target(string Name, string Url, string? ProtectedSecret);

    [LoggerMessage(LogLevel.Error, "Notification delivery round failed; it runs again at the next tick")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Warning, "Notification {DeliveryId} ({Event}) to '{Subscription}' failed (attempt {Attempts}): {Error}; next attempt at {Next:O}")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, string @event, string subscription, int attempts, string error, DateTime next);

    [LoggerMessage(LogLevel.Error, "Notification {DeliveryId} ({Event}) to '{Subscription}' is dead after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, Guid deliveryId, string @event, string subscription, int attempts, string error);
}
