namespace Cutover.Core.Notifications;

/// <summary>Where an outbox row stands: waiting for its next attempt, delivered (a 2xx), or given up on and kept.</summary>
public enum DeliveryStatus
{
    Pending,
    Delivered,
    Dead,
}
