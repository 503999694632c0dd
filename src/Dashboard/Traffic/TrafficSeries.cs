namespace Cutover.Dashboard.Traffic;

/// <summary>
/// A deployment's RPC requests and errors per <see cref="Width"/> bucket, oldest first; the last bucket is the
/// current, partial one. What the sparklines draw.
/// </summary>
public sealed record TrafficSeries(TimeSpan Width, IReadOnlyList<long> Requests, IReadOnlyList<long> Errors)
{
    public static readonly TimeSpan BucketWidth = TimeSpan.FromMinutes(1);

    private static readonly int Buckets = (int)(TrafficFigures.FifteenMinutes.Ticks / BucketWidth.Ticks);

    public static TrafficSeries Empty { get; } = new(BucketWidth, new long[Buckets], new long[Buckets]);

    public long Total => Requests.Sum();

    /// <summary>Same buckets, same counts (records compare lists by reference; a refresh compares contents).</summary>
    public bool SameAs(TrafficSeries? other) =>
        other is not null && Width == other.Width && Requests.SequenceEqual(other.Requests) && Errors.SequenceEqual(other.Errors);
}
