using System.Diagnostics;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Cutover.Benchmarks.Ui;

/// <summary>What the status run saw: latencies (ms, commit to DOM), how many changes never showed, and the clocks.</summary>
internal sealed record StatusRun(List<double> Latencies, int Changes, int Missing, double AchievedPerSecond, double ClockUncertaintyMs, double ClockDriftMs,
    double WriteMedianMs, List<double> ServerHandover);

/// <summary>
/// Status changes through the real chokepoint at a fixed rate, round-robin over the agents the tabs show (each agent
/// changes once per pass, so consecutive changes of one agent are seconds apart), against the moment each tab's DOM
/// shows them. Commit time is taken on the server inside the chokepoint's transaction as the change is made, just
/// before its SaveChanges and commit (so each latency includes the commit itself); DOM time is the page's
/// MutationObserver callback. The page clock is mapped onto the server clock by
/// round trips (the offset from the fastest of several, its half round trip the uncertainty), measured before and
/// after the run (their difference is the drift).
/// </summary>
internal static class StatusToDom
{
    public static async Task<StatusRun> RunAsync(UiHost host, IReadOnlyList<IPage> tabs, int agents, int perSecond, double seconds)
    {
        var offsets = new List<(double Offset, double Uncertainty)>();
        foreach (var tab in tabs) offsets.Add(await OffsetAsync(tab));
        foreach (var tab in tabs) await tab.EvaluateAsync("() => window.__bench.watch()");

        var total = (int)(perSecond * seconds);
        var commits = new List<(int Agent, string Health, double At)>(total);
        var writes = new List<double>(total);
        var sequences = new List<long>(total);
        // The pages' own listener (the seam's batching: ~100 ms windows), here without a page: when each change is
        // handed over for rendering. Commit to handover is the server's share of the latency; the rest is render,
        // transport and the browser.
        var handedOver = new System.Collections.Concurrent.ConcurrentDictionary<(Guid, long), double>();
        await using var listener = LiveStatusListener.Start(host.Services.GetRequiredService<StatusBus>(), null, work => work(), changes =>
        {
            var now = Stats.NowMs();
            foreach (var c in changes) handedOver[(c.AgentId, c.Sequence)] = now;
            return Task.CompletedTask;
        }, () => Task.CompletedTask);
        var interval = 1000.0 / perSecond;
        using var trace = TraceStart(seconds);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = i * interval - clock.Elapsed.TotalMilliseconds;
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
            // 7 is prime to both sizes' agent counts: one pass visits every agent once, spread over the tabs.
            var agent = (int)((long)i * 7 % agents);
            // The commit happens between the change being made (inside the transaction, just before SaveChanges and
            // commit) and the write returning (after commit and publish). Latency counts from the earlier moment, so
            // it includes the write's own commit; on a loaded machine the return can come after the page showed it.
            var changedAt = 0.0;
            var sequence = 0L;
            var outcome = await host.Chokepoint.UpdateStatusAsync<HealthStatus>(host.AgentIds[agent], "benchmark", null, (t, _) =>
            {
                var to = t.Agent.Health == HealthStatus.Healthy ? HealthStatus.Unhealthy : HealthStatus.Healthy;
                t.SetAgentHealth(to);
                sequence = t.Agent.LastSequence;
                changedAt = Stats.NowMs();
                return Task.FromResult<Outcome<HealthStatus>>(to);
            });
            if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
            writes.Add(Stats.NowMs() - changedAt);
            commits.Add((agent, outcome.Value.ToString(), changedAt));
            sequences.Add(sequence);
        }

        var achieved = total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);

        // Wait (bounded) until every tab shows the last change it should show; what is still missing then is lost.
        var logs = new List<Dictionary<string, List<(string Health, double At)>>>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            logs.Clear();
            foreach (var tab in tabs) logs.Add(await LogAsync(tab));
            var missing = Match(commits, logs, offsets).Missing;
            if (missing == 0 || deadline.Elapsed > TimeSpan.FromSeconds(10)) break;
            await Task.Delay(200);
        }

        var after = new List<(double Offset, double Uncertainty)>();
        foreach (var tab in tabs) after.Add(await OffsetAsync(tab));
        var drift = offsets.Zip(after).Max(p => Math.Abs(p.First.Offset - p.Second.Offset));
        var (latencies, lost) = Match(commits, logs, offsets);
        var server = commits.Select((c, k) => handedOver.TryGetValue((host.AgentIds[c.Agent], sequences[k]), out var at) ? at - c.At : double.NaN)
            .Where(x => !double.IsNaN(x)).Order().ToList();
        return new StatusRun(latencies, total, lost, achieved, offsets.Max(o => o.Uncertainty), drift, Stats.Median(writes), server);
    }

    /// <summary>Each commit's latency in the tab that shows its agent: the first DOM record of that value after the commit.</summary>
    private static (List<double> Latencies, int Missing) Match(
        List<(int Agent, string Health, double At)> commits,
        List<Dictionary<string, List<(string Health, double At)>>> logs,
        List<(double Offset, double Uncertainty)> offsets)
    {
        var latencies = new List<double>(commits.Count);
        var missing = 0;
        var used = new Dictionary<string, int>();
        foreach (var (agent, health, at) in commits)
        {
            var tab = agent / Size.RowsPerTab;
            var name = Seed.Name(agent);
            var log = logs[tab].GetValueOrDefault(name) ?? [];
            var from = used.GetValueOrDefault(name);
            var found = -1;
            for (var k = from; k < log.Count; k++)
            {
                if (log[k].Health != health) continue;
                found = k;
                break;
            }

            if (found < 0)
            {
                missing++;
                continue;
            }

            used[name] = found + 1;
            latencies.Add(log[found].At - offsets[tab].Offset - at);
        }

        latencies.Sort();
        return (latencies, missing);
    }

    private static async Task<Dictionary<string, List<(string, double)>>> LogAsync(IPage tab)
    {
        var log = await tab.EvaluateAsync<JsonElement>("() => window.__bench.log");
        var byName = new Dictionary<string, List<(string, double)>>();
        foreach (var entry in log.EnumerateArray())
        {
            var name = entry[0].GetString()!;
            if (!byName.TryGetValue(name, out var list)) byName[name] = list = [];
            list.Add((entry[1].GetString()!, entry[2].GetDouble()));
        }

        return byName;
    }

    /// <summary>With CUTOVER_BENCH_TRACE set to a file, a CPU sample trace of this process for the run (dotnet-trace on PATH).</summary>
    private static Process? TraceStart(double seconds)
    {
        if (Environment.GetEnvironmentVariable("CUTOVER_BENCH_TRACE") is not { Length: > 0 } file) return null;
        return Process.Start("dotnet-trace", ["collect", "-p", Environment.ProcessId.ToString(), "--profile", "dotnet-sampled-thread-time",
            "--duration", TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss"), "-o", file]);
    }

    /// <summary>Page clock minus server clock, from the fastest of several round trips, and half that round trip.</summary>
    private static async Task<(double Offset, double Uncertainty)> OffsetAsync(IPage tab)
    {
        var best = (Offset: 0.0, Uncertainty: double.MaxValue);
        for (var i = 0; i < 15; i++)
        {
            var before = Stats.NowMs();
            var page = await tab.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            var afterMs = Stats.NowMs();
            var half = (afterMs - before) / 2;
            if (half < best.Uncertainty) best = (page - (before + half), half);
        }

        return best;
    }
}
