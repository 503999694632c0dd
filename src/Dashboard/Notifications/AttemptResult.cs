namespace Cutover.Dashboard.Notifications;

/// <summary>One delivery attempt's outcome: a 2xx, or why not (the status code when the receiver answered).</summary>
public sealed record AttemptResult(bool Delivered, int? StatusCode, string? Error);
