using Cutover.Core.Notifications;

namespace Cutover.Dashboard.Notifications;

/// <summary>One outbox row as the API and the page show it (the body's fields, not the signature).</summary>
public sealed record DeliveryDto(
    Guid Id,
    string Event,
    string Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? LastAttemptAt,
    DateTime? DeliveredAt,
    int? LastStatusCode,
    string? LastError)
{
    public static DeliveryDto From(NotificationDelivery d) =>
        new(d.Id, d.Event, d.Status.ToString(), d.Attempts, d.CreatedAt, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null,
            d.LastAttemptAt, d.DeliveredAt, d.LastStatusCode, d.LastError);
}
