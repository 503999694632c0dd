using System.Diagnostics;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// Concurrent writers calling <see cref="StatusChokepoint.UpdateStatusAsync{T}"/>, each call a real health
/// transition (it flips the agent's health). Latency runs from the call to the moment a bus subscriber receives the
/// published change; "max call" is the longest any caller waited for its call to return.
/// </summary>
internal static class ChokepointScenario
{
    private const int MaxCalls = 4_000_000;

    public static async Task<Figures> RunAsync(string name, StatusChokepoint chokepoint, StatusBus bus, IReadOnlyList<Guid> agents,
        int writers, TimeSpan duration)
    {
        var starts = new long[MaxCalls];
        var latencies = new List<double>(100_000);
        long next = -1;
        var received = 0;
        using var subscription = bus.Subscribe();
        using var stopReader = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in subscription.Changes.ReadAllAsync(stopReader.Token))
                {
                    if (change.Actor != "bench" || change.Reason is null) continue;
                    var now = Stopwatch.GetTimestamp();
                    latencies.Add(Stopwatch.GetElapsedTime(starts[long.Parse(change.Reason)], now).TotalMilliseconds);
                    Interlocked.Increment(ref received);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var maxCallTicks = new long[writers];
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var agentId = agents[w % agents.Count];
            while (clock.Elapsed < duration)
            {
                var id = Interlocked.Increment(ref next);
                if (id >= MaxCalls) break;
                var start = Stopwatch.GetTimestamp();
                starts[id] = start;
                var outcome = await chokepoint.UpdateStatusAsync<bool>(agentId, "bench", id.ToString(), Flip);
                if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
                maxCallTicks[w] = Math.Max(maxCallTicks[w], Stopwatch.GetTimestamp() - start);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        Console.WriteLine($"{name}: process CPU {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms in {elapsed.TotalMilliseconds:F0} ms wall");
        var calls = (int)Math.Min(Interlocked.Read(ref next) + 1, MaxCalls);

        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (Volatile.Read(ref received) < calls) await Task.Delay(10, wait.Token);
        }

        await stopReader.CancelAsync();
        await reader;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var maxCall = maxCallTicks.Max() * 1000.0 / Stopwatch.Frequency;
        return new Figures(name, calls, elapsed, sorted, maxCall);
    }

    private static Task<Outcome<bool>> Flip(StatusTransaction t, CancellationToken _)
    {
        t.SetAgentHealth(t.Agent.Health == HealthStatus.Healthy ? HealthStatus.Unhealthy : HealthStatus.Healthy);
        return Task.FromResult<Outcome<bool>>(true);
    }
}
