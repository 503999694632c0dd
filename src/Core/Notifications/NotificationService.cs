using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Notifications;

/// <summary>
/// Creates, lists and removes subscriptions, queues a test event through the same outbox the changes use, and
/// lists a subscription's recent deliveries. The URL's safety (where Cutover may send requests) is the host's rule
/// and is checked at the edge before <see cref="CreateAsync"/>.
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<CutoverDbContext> dbFactory,
    INotificationSecrets secrets,
    NotificationSubscriptions subscriptions,
    TimeProvider time)
{
    /// <summary>Raised after a subscription or one of its deliveries changed on this node (the page re-reads).</summary>
    public event Action? Changed;

    public void Notify() => Changed?.Invoke();

    public async Task<Outcome<NotificationSubscription>> CreateAsync(NewNotification request, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) return Failure.Invalid("name", "'name' is required.");
        var name = request.Name.Trim();
        if (name.Length > NotificationSubscription.NameMaxLength)
            return Failure.Invalid("name", $"'name' must be at most {NotificationSubscription.NameMaxLength} characters.");
        if (name.Any(char.IsControl)) return Failure.Invalid("name", "'name' must not contain control characters.");
        if (string.IsNullOrWhiteSpace(request.Url)) return Failure.Invalid("url", "'url' is required.");
        if (request.Url.Length > NotificationSubscription.UrlMaxLength)
            return Failure.Invalid("url", $"'url' must be at most {NotificationSubscription.UrlMaxLength} characters.");
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return Failure.Invalid("url", "'url' must be an absolute http or https URL.");
        if (request.Events is not { Count: > 0 } given)
            return Failure.Invalid("events", $"'events' must list at least one of: {string.Join(", ", NotificationEvents.All)}.");
        foreach (var e in given)
        {
            if (e is null || !NotificationEvents.IsKnown(e))
                return Failure.Invalid("events", $"'events' has an unknown event '{e}'; known: {string.Join(", ", NotificationEvents.All)}.");
        }

        if (request.Secret is { Length: > NotificationSubscription.SecretMaxLength })
            return Failure.Invalid("secret", $"'secret' must be at most {NotificationSubscription.SecretMaxLength} characters.");
        if (request.Secret is not null && request.Secret.Any(char.IsControl)) return Failure.Invalid("secret", "'secret' must not contain control characters.");

        var events = NotificationEvents.All.Where(given.Contains).ToList();
        var secret = string.IsNullOrEmpty(request.Secret) ? null : secrets.Protect(request.Secret);
        var subscription = new NotificationSubscription(Guid.CreateVersion7(), name, request.Url, events, secret, actor, time.GetUtcNow().UtcDateTime);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Add(subscription);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        subscriptions.Invalidate();
        Notify();
        return subscription;
    }

    public async Task<IReadOnlyList<NotificationSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<NotificationSubscription>().AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the subscription and its outbox rows: nothing more is sent to it.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var removed = await db.Set<NotificationSubscription>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            if (removed == 0) return Failure.NotFound($"No notification subscription with id {id}.");
            await db.Set<NotificationDelivery>().Where(d => d.SubscriptionId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        subscriptions.Invalidate();
        Notify();
        return true;
    }

    /// <summary>Queues a <c>test</c> event for one subscription, delivered by the same worker, retries and all.</summary>
    public async Task<Outcome<NotificationDelivery>> SendTestAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var subscription = await db.Set<NotificationSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        if (subscription is null) return Failure.NotFound($"No notification subscription with id {id}.");
        var deliveryId = Guid.CreateVersion7();
        var now = time.GetUtcNow().UtcDateTime;
        var delivery = new NotificationDelivery(deliveryId, id, NotificationEvents.Test,
            NotificationPayload.ForTest(deliveryId, subscription.Name, actor, now).Serialize(), now);
        db.Add(delivery);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        Notify();
        return delivery;
    }

    /// <summary>A subscription's most recent deliveries, newest first; null when there is no such subscription.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>?> DeliveriesAsync(Guid id, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Set<NotificationSubscription>().AnyAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)) return null;
        return await db.Set<NotificationDelivery>().AsNoTracking().Where(d => d.SubscriptionId == id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
