using Cutover.Core.Notifications;
using Cutover.Core.Results;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// The one way a subscription is created (API and page alike): the app's outbound URL rule (<see cref="UrlSafety"/>,
/// the one agents' URLs pass) first, then the service's own checks.
/// </summary>
public static class NotificationRules
{
    public static Task<Outcome<NotificationSubscription>> CreateAsync(NotificationService notifications, UrlSafety urlSafety,
        NewNotification request, string actor, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(request.Url) && request.Url.Length <= NotificationSubscription.UrlMaxLength
            && urlSafety.Check(request.Url) is { } unsafeUrl)
            return Task.FromResult<Outcome<NotificationSubscription>>(Failure.Invalid("url", unsafeUrl.Replace("acpUrl", "'url'", StringComparison.Ordinal)));
        return notifications.CreateAsync(request, actor, cancellationToken);
    }
}
