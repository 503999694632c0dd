namespace Cutover.Benchmarks.Chokepoint;

/// <summary>Throughput and latency of one scenario.</summary>
internal sealed record Figures(string Name, int Count, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var index = (int)Math.Ceiling(p * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(index, 0, LatenciesMs.Length - 1)];
    }

    /// <summary>One scenario's slices taken as one: their changes, their time, every latency.</summary>
    public static Figures Merge(string name, IReadOnlyList<Figures> slices)
    {
        var all = slices.SelectMany(f => f.LatenciesMs).ToArray();
        Array.Sort(all);
        return new Figures(name, slices.Sum(f => f.Count), TimeSpan.FromTicks(slices.Sum(f => f.Elapsed.Ticks)), all);
    }

    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    public override string ToString() =>
        $"{Name,-40} {Count,8} {PerSecond,9:F0}/s   p50 {Percentile(0.50),7:F2} ms   p99 {Percentile(0.99),7:F2} ms   max {Max,7:F2} ms";
}
