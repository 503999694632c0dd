using Cutover.Core.Notifications;
using Cutover.Core.Results;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// The Notifications page's one way to its data (STYLE.md 12, beside the dashboard seam). Authorization stays with
/// the page (<c>ActionGuard</c>) and the API.
/// </summary>
public interface INotificationsClient
{
    /// <summary>Raised (on any thread) when a subscription or a delivery changed on this node.</summary>
    event Action? Changed;

    Task<IReadOnlyList<NotificationDto>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Newest first; empty when the subscription is gone.</summary>
    Task<IReadOnlyList<DeliveryDto>> DeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken);

    Task<Outcome<NotificationDto>> CreateAsync(NewNotification request, string actor, CancellationToken cancellationToken);

    Task<Outcome<DeliveryDto>> SendTestAsync(Guid subscriptionId, string actor, CancellationToken cancellationToken);

    Task<Outcome<bool>> DeleteAsync(Guid subscriptionId, CancellationToken cancellationToken);
}
