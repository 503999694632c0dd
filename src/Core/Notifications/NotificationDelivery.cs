namespace Cutover.Core.Notifications;

/// <summary>
/// One outbox row: one event for one subscription. Written in the transaction of the change that raised it, with
/// its body already serialized, so every attempt sends the same bytes and the same <see cref="Id"/> (receivers
/// de-duplicate on it: delivery is at least once).
/// </summary>
public sealed class NotificationDelivery
{
    public const int EventMaxLength = 32;
    public const int ErrorMaxLength = 1000;

    private NotificationDelivery()
    {
        Event = string.Empty;
        Body = string.Empty;
    }

    internal NotificationDelivery(Guid id, Guid subscriptionId, string @event, string body, DateTime createdAt)
    {
        Id = id;
        SubscriptionId = subscriptionId;
        Event = @event;
        Body = body;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
        Status = DeliveryStatus.Pending;
    }

    public Guid Id { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public string Event { get; private set; }

    /// <summary>The exact JSON sent (and signed) on every attempt.</summary>
    public string Body { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the worker next tries (Pending only).</summary>
    public DateTime NextAttemptAt { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }

    public DateTime? DeliveredAt { get; private set; }

    public int? LastStatusCode { get; private set; }

    public string? LastError { get; private set; }

    public void Succeeded(int statusCode, DateTime at)
    {
        Attempts++;
        LastAttemptAt = at;
        LastStatusCode = statusCode;
        LastError = null;
        DeliveredAt = at;
        Status = DeliveryStatus.Delivered;
    }

    /// <summary>A failed attempt: retried at <paramref name="nextAttemptAt"/>, or Dead when that is null.</summary>
    public void Failed(int? statusCode, string error, DateTime at, DateTime? nextAttemptAt)
    {
        Attempts++;
        LastAttemptAt = at;
        LastStatusCode = statusCode;
        LastError = error.Length > ErrorMaxLength ? error[..ErrorMaxLength] : error;
        if (nextAttemptAt is { } next) NextAttemptAt = next;
        else Status = DeliveryStatus.Dead;
    }
}
