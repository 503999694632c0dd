namespace Cutover.Core.Notifications;

/// <summary>A subscription to create, as a person or the API gave it (checked by <see cref="NotificationService.CreateAsync"/>).</summary>
public sealed record NewNotification(string? Name, string? Url, IReadOnlyList<string>? Events, string? Secret);
