using Cutover.Core.Notifications;
using Cutover.Core.Results;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Notifications;

/// <summary>The page's seam over <see cref="NotificationService"/>, creating through the same rules as the API.</summary>
public sealed class NotificationsClient(NotificationService notifications, UrlSafety urlSafety) : INotificationsClient
{
    public event Action? Changed
    {
        add => notifications.Changed += value;
        remove => notifications.Changed -= value;
    }

    public async Task<IReadOnlyList<NotificationDto>> ListAsync(CancellationToken cancellationToken) =>
        (await notifications.ListAsync(cancellationToken)).Select(NotificationDto.From).ToList();

    public async Task<IReadOnlyList<DeliveryDto>> DeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken) =>
        (await notifications.DeliveriesAsync(subscriptionId, limit, cancellationToken))?.Select(DeliveryDto.From).ToList() ?? [];

    public async Task<Outcome<NotificationDto>> CreateAsync(NewNotification request, string actor, CancellationToken cancellationToken)
    {
        var outcome = await NotificationRules.CreateAsync(notifications, urlSafety, request, actor, cancellationToken);
        return outcome.IsSuccess ? NotificationDto.From(outcome.Value!) : outcome.Failure!;
    }

    public async Task<Outcome<DeliveryDto>> SendTestAsync(Guid subscriptionId, string actor, CancellationToken cancellationToken)
    {
        var outcome = await notifications.SendTestAsync(subscriptionId, actor, cancellationToken);
        return outcome.IsSuccess ? DeliveryDto.From(outcome.Value!) : outcome.Failure!;
    }

    public Task<Outcome<bool>> DeleteAsync(Guid subscriptionId, CancellationToken cancellationToken) =>
        notifications.DeleteAsync(subscriptionId, cancellationToken);
}
