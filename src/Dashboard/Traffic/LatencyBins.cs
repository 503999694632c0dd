namespace Cutover.Dashboard.Traffic;

/// <summary>
/// Log-linear latency bins in microseconds, so percentiles come from counts instead of stored samples: exact below
/// 8 µs, then 8 bins per power of two. A bin's midpoint is within 1/16 (6.25 %) of any value in it. Values from
/// 2^<see cref="MaxExponent"/> µs (about 134 s) on share the last bin.
/// </summary>
public static class LatencyBins
{
    public const int SubBins = 8;
    public const int MaxExponent = 27;

    /// <summary>8 exact bins (0–7 µs), then 8 per power of two from 2^3 to 2^27.</summary>
    public const int Count = SubBins + (MaxExponent - 3 + 1) * SubBins;

    public static int Of(TimeSpan elapsed) => Of(elapsed.Ticks / TimeSpan.TicksPerMicrosecond);

    public static int Of(long micros)
    {
        if (micros < SubBins) return micros < 0 ? 0 : (int)micros;
        var exponent = 63 - (int)long.LeadingZeroCount(micros);
        if (exponent > MaxExponent) return Count - 1;
        var mantissa = (int)(micros >> (exponent - 3)) & (SubBins - 1);
        return SubBins + (exponent - 3) * SubBins + mantissa;
    }

    /// <summary>The value a bin stands for, in microseconds: exact below 8 µs, else the bin's midpoint.</summary>
    public static double Representative(int bin)
    {
        if (bin < SubBins) return bin;
        var exponent = (bin - SubBins) / SubBins + 3;
        var mantissa = (bin - SubBins) % SubBins;
        long width = 1L << (exponent - 3);
        return (SubBins + mantissa) * width + width / 2.0;
    }

    /// <summary>
    /// The nearest-rank percentile (<paramref name="p"/> in (0, 1]) of the counted values in milliseconds, or null
    /// when nothing was counted.
    /// </summary>
    public static double? PercentileMs(ReadOnlySpan<long> counts, long total, double p)
    {
        if (total <= 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        for (var bin = 0; bin < counts.Length; bin++)
        {
            seen += counts[bin];
            if (seen >= rank) return Representative(bin) / 1000.0;
        }

        return Representative(counts.Length - 1) / 1000.0;
    }
}
