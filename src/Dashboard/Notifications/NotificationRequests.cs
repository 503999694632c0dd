namespace Cutover.Dashboard.Notifications;

/// <summary><c>POST /api/notifications</c> body. The secret is write-only.</summary>
public sealed record CreateNotificationRequest(string? Name, string? Url, List<string>? Events, string? Secret);
