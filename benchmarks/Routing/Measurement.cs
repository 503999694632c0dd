using System.Diagnostics;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// Throughput, latency percentiles in milliseconds, and the process's allocations and CPU time per request, over the
/// slices of one path at one concurrency.
/// </summary>
internal sealed record Measurement(int Concurrency, int Requests, int Failures, double RequestsPerSecond, double P50Ms, double P99Ms,
    double BytesPerRequest, double CpuMicrosecondsPerRequest)
{
    public static Measurement From(int concurrency, IReadOnlyList<Sample> slices)
    {
        var all = slices.SelectMany(s => s.Latencies).Order().ToArray();
        var seconds = slices.Sum(s => s.Elapsed.TotalSeconds);
        return new Measurement(concurrency, all.Length, slices.Sum(s => s.Failures), all.Length / seconds,
            Percentile(all, 0.50), Percentile(all, 0.99),
            // The median slice: with server GC the process-wide count now and then reads low or high for a slice
            // (seen as a negative delta), which a sum would carry into the figure.
            slices.Select(s => (double)s.AllocatedBytes / Math.Max(1, s.Latencies.Length)).Order().ElementAt(slices.Count / 2),
            slices.Sum(s => s.Cpu.TotalMicroseconds) / Math.Max(1, all.Length));
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
