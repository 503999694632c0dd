namespace Cutover.Dashboard.Notifications;

/// <summary>
/// When a failed delivery is tried again: exponential (base × 2^(attempts−1)), capped, with "equal jitter" (half the
/// wait fixed, half random) so rows that failed together do not all retry together. Null: give up (Dead).
/// </summary>
public static class RetrySchedule
{
    public static DateTime? Next(NotificationOptions o, int attemptsSoFar, DateTime createdAt, DateTime now, double random)
    {
        if (attemptsSoFar >= o.MaxAttempts || now - createdAt >= o.MaxAge) return null;
        var exponent = Math.Min(attemptsSoFar - 1, 30);
        var wait = Math.Min(o.RetryBase.TotalMilliseconds * Math.Pow(2, exponent), o.RetryCap.TotalMilliseconds);
        return now + TimeSpan.FromMilliseconds(wait / 2 + wait / 2 * random);
    }
}
