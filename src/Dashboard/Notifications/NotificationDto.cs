using Cutover.Core.Notifications;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// A subscription as the API shows it: never the secret, only whether one is set. The URL's path and query are
/// shortened (a Slack or Teams webhook URL is itself a credential), so a list shows where, not how to post there.
/// </summary>
public sealed record NotificationDto(Guid Id, string Name, string Url, IReadOnlyList<string> Events, bool HasSecret, DateTime CreatedAt, string CreatedBy)
{
    public static NotificationDto From(NotificationSubscription s) =>
        new(s.Id, s.Name, Redact(s.Url), s.Events, s.HasSecret, s.CreatedAt, s.CreatedBy);

    /// <summary><c>https://hooks.example.com/services/…</c>: the origin and the first path segment.</summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "…";
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var shown = uri.GetLeftPart(UriPartial.Authority) + (segments.Length > 0 ? "/" + segments[0] : "");
        return segments.Length > 1 || uri.Query.Length > 1 ? shown + "/…" : shown + (segments.Length == 0 ? "/" : "");
    }
}
