namespace Cutover.Dashboard.Notifications;

/// <summary><c>Cutover:Notifications</c>: how the delivery worker paces, retries and gives up.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Cutover:Notifications";

    /// <summary>How often the worker looks for due rows (a new event waits at most this long).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take, connect to last byte.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; it doubles after each further one, up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After this many failed attempts the row is Dead (kept, shown on the page).</summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>A row still undelivered this long after its event is Dead at its next failure.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many rows of one subscription one round takes (the rest wait for the next round).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How many subscriptions are delivered to at once (each one's rows go in order).</summary>
    public int MaxParallel { get; set; } = 4;
}
