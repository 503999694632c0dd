using System.Diagnostics;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// Closed-loop load: <c>writers</c> tasks each run one change at a time for a fixed time; every change's latency is
/// from its call until it returned (committed, and for the chokepoint published).
/// </summary>
internal static class LoadRun
{
    public static async Task<Figures> RunAsync(string name, int writers, TimeSpan duration, Func<int, Task> change)
    {
        var latencies = new List<double>[writers];
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await change(w);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        var sorted = latencies.SelectMany(l => l).ToArray();
        Array.Sort(sorted);
        return new Figures(name, sorted.Length, elapsed, sorted);
    }
}
