namespace Cutover.Dashboard.Sources;

/// <summary><c>Cutover:Sources</c>: where clones are cached, how long git may take, how often the poller looks.</summary>
public sealed class SourceOptions
{
    public const string Section = "Cutover:Sources";

    /// <summary>Default: a <c>sources</c> folder next to the SQLite file (else <c>data/sources</c>).</summary>
    public string? CacheDirectory { get; set; }

    public TimeSpan GitTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the poller checks which sources are due (each source has its own interval).</summary>
    public TimeSpan PollTick { get; set; } = TimeSpan.FromSeconds(1);
}
