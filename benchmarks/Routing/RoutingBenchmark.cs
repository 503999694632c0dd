using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Cutover.Dashboard.Traffic;
using Cutover.Dashboard.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// Requests per second and p50/p99 latency, direct to a local backend and through Cutover's RPC route (with its
/// per-deployment traffic figures on, and in a second app with them off), at 1 and 16 concurrent requests. Loopback
/// only, bounded: a warm-up and a few seconds per measurement. Each measurement is taken in slices, the paths in turn (rotating which goes first), so a swing in the machine's load (it is
/// shared) falls on all alike instead of on whichever ran during it.
/// Usage: <c>dotnet run -c Release --project benchmarks/Routing [-- --seconds 3 --warmup 5 --max-warmup 60 --slices 6]</c>.
/// (A class with Main rather than top-level statements: those would declare a second <c>Program</c> beside the app's.)
/// </summary>
internal static class RoutingBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var seconds = ArgOr(args, "--seconds", 3.0);
        // At least this long per path, and then on until the JIT has gone quiet (see WarmUpAsync).
        var warmup = ArgOr(args, "--warmup", 5.0);
        var maxWarmup = ArgOr(args, "--max-warmup", 60.0);
        var slices = Math.Max(1, (int)ArgOr(args, "--slices", 6));
        int[] levels = [1, 16];

        await using var backend = await LoopbackApp.StartBackendAsync();
        await using var bare = await LoopbackApp.StartBareProxyAsync(backend.Url);
        using var cutover = new CutoverHost();
        var address = cutover.Start();
        var agentId = await cutover.RegisterAgentAsync(backend.Url);
        var routed = new Uri(address, $"api/agents/{agentId}/rpc");
        // The figures' switch (Cutover:Routing:TrafficFigures) is read on every call, so one app measures both: the
        // same process, JIT state, database and agent, only the switch differs between the two Cutover paths.
        var routing = cutover.Services.GetRequiredService<IOptionsMonitor<RoutingOptions>>().CurrentValue;
        var figures = cutover.Services.GetRequiredService<TrafficFigures>();

        using var directClient = LoadRun.Client(null);
        using var cutoverClient = LoadRun.Client(CutoverHost.Token);

        Console.WriteLine($"Routing benchmark: {Environment.ProcessorCount} cores, {seconds:0.#} s per measurement in {slices} interleaved slices, loopback");
        Console.WriteLine($"  backend {backend.Url}  bare YARP {bare.Url}  cutover {routed}  (with traffic figures on and off)");
        (HttpClient, Uri)[] warming = [(directClient, backend.Url), (directClient, bare.Url), (cutoverClient, routed)];
        var (warmed, lastRoundJit) = await WarmUpAsync(warming, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(maxWarmup));
        Console.WriteLine($"  warm-up: {warmed.TotalSeconds:0} s until the JIT went quiet ({lastRoundJit.TotalMilliseconds:0} ms compiling in the last round of 1 s per path)");
        var deploymentId = figures.Deployments().Single(d => d.AgentId == agentId).DeploymentId;

        Console.WriteLine($"{"path",-20} {"conc",4} {"requests",9} {"fail",5} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"B/req",7} {"CPU µs/req",10}");
        var results = new Dictionary<(string, int), Measurement>();
        (string Name, HttpClient Client, Uri Url, bool Figures)[] paths =
            [("direct", directClient, backend.Url, true), ("bare YARP", directClient, bare.Url, true), ("through Cutover", cutoverClient, routed, true),
             ("Cutover figures off", cutoverClient, routed, false)];
        foreach (var level in levels)
        {
            var jitBefore = JitInfo.GetCompilationTime();
            var taken = paths.ToDictionary(p => p.Name, _ => new List<Sample>());
            for (var slice = 0; slice < slices; slice++)
            {
                for (var k = 0; k < paths.Length; k++)
                {
                    var (name, client, url, on) = paths[(slice + k) % paths.Length];
                    routing.TrafficFigures = on;
                    var before = figures.Read(deploymentId, TrafficFigures.FifteenMinutes).Requests;
                    var sample = await LoadRun.RunAsync(client, url, level, TimeSpan.FromSeconds(seconds / slices));
                    taken[name].Add(sample);
                    // The switch must have done what it says, or the comparison means nothing.
                    var counted = figures.Read(deploymentId, TrafficFigures.FifteenMinutes).Requests - before;
                    if (url == routed && (on ? counted < sample.Latencies.Length * 9 / 10 : counted != 0))
                        throw new InvalidOperationException($"{name}: {counted} of {sample.Latencies.Length} calls were counted.");
                }
            }

            routing.TrafficFigures = true;
            Console.WriteLine($"  (at {level}: {(JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds:0} ms of JIT compilation during the measurement)");
            foreach (var (name, _, _, _) in paths)
            {
                var m = results[(name, level)] = Measurement.From(level, taken[name]);
                Console.WriteLine($"{name,-20} {level,4} {m.Requests,9} {m.Failures,5} {m.RequestsPerSecond,9:0} {m.P50Ms,8:0.000} {m.P99Ms,8:0.000} {m.BytesPerRequest,7:0} {m.CpuMicrosecondsPerRequest,10:0.0}");
            }
        }

        foreach (var level in levels)
        {
            var d = results[("direct", level)];
            var b = results[("bare YARP", level)];
            var c = results[("through Cutover", level)];
            Console.WriteLine($"at {level,2} concurrent: Cutover/direct throughput {c.RequestsPerSecond / d.RequestsPerSecond:0.00} " +
                              $"(bare YARP/direct {b.RequestsPerSecond / d.RequestsPerSecond:0.00}), " +
                              $"added p50 {c.P50Ms - d.P50Ms:0.000} ms (bare YARP {b.P50Ms - d.P50Ms:0.000} ms), added p99 {c.P99Ms - d.P99Ms:0.000} ms");
            var off = results[("Cutover figures off", level)];
            Console.WriteLine($"at {level,2} concurrent: traffic figures on/off throughput {c.RequestsPerSecond / off.RequestsPerSecond:0.00} " +
                              $"({c.RequestsPerSecond:0} vs {off.RequestsPerSecond:0} req/s), p50 {c.P50Ms:0.000} vs {off.P50Ms:0.000} ms");
        }

        // Targets against the bare proxy (the cost of any hop is not Cutover's to remove): throughput at 16, latency at 1.
        var ratio16 = results[("through Cutover", 16)].RequestsPerSecond / results[("bare YARP", 16)].RequestsPerSecond;
        var added1 = results[("through Cutover", 1)].P50Ms - results[("bare YARP", 1)].P50Ms;
        var figures16 = results[("through Cutover", 16)].RequestsPerSecond / results[("Cutover figures off", 16)].RequestsPerSecond;
        Console.WriteLine($"targets: Cutover/bare YARP at 16 >= 0.80: {(ratio16 >= 0.8 ? "met" : "MISSED")} ({ratio16:0.00}); " +
                          $"added p50 over bare YARP at 1 <= 0.25 ms: {(added1 <= 0.25 ? "met" : "MISSED")} ({added1:0.000} ms); " +
                          $"figures on/off at 16 >= 0.95: {(figures16 >= 0.95 ? "met" : "MISSED")} ({figures16:0.00})");
        // The figures' own cost per call, without the noise of HTTP around it: one thread, then both cores on one deployment.
        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            const int calls = 2_000_000;
            var deployment = Guid.NewGuid();
            var t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < calls; i++) figures.Record(agentId, deployment, i % 50 == 0, TimeSpan.FromTicks(1_000 + i % 50_000));
            });
            var ns = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / calls;
            Console.WriteLine($"traffic figures: {ns:0} ns per recorded call with {threads} thread(s) recording at once " +
                              $"(an RPC through Cutover at 1 concurrent takes {results[("through Cutover", 1)].P50Ms * 1000:0.0} µs at p50)");
        }

        var failed = results.Values.Sum(m => m.Failures);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Tiered compilation keeps rejitting hot methods long after start-up, more so for the full app than for a bare
    /// proxy and for longer on a busy machine (here up to ~17 s of load before the Cutover path ran fully optimized
    /// code, while the JIT took 30-60% of a core): measuring earlier charges start-up work to the steady state. So
    /// every path is loaded for at least <paramref name="minimum"/>, then in rounds of 1 s per path until a round
    /// compiles less than 20 ms in all (or <paramref name="maximum"/> has passed). Returns the time it took and the
    /// last round's JIT time.
    /// </summary>
    private static async Task<(TimeSpan Took, TimeSpan LastRoundJit)> WarmUpAsync((HttpClient Client, Uri Url)[] paths, TimeSpan minimum, TimeSpan maximum)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var (client, url) in paths) await LoadRun.RunAsync(client, url, 16, minimum);
        TimeSpan jit;
        do
        {
            var before = JitInfo.GetCompilationTime();
            foreach (var (client, url) in paths) await LoadRun.RunAsync(client, url, 16, TimeSpan.FromSeconds(1));
            jit = JitInfo.GetCompilationTime() - before;
        }
        while (jit >= TimeSpan.FromMilliseconds(20) && Stopwatch.GetElapsedTime(started) < maximum);

        return (Stopwatch.GetElapsedTime(started), jit);
    }

    private static double ArgOr(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
