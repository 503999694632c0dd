using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Benchmarks.Guards;

// Guarded promotion benchmark: how long after the new production's error rate crosses its guard's limit production
// is back on the last good deployment (target ≤ 5 s at probe interval 2 s), and, for comparison, how long after it
// turns unhealthy (probes only). Real app, real HTTP to loopback agents, steady RPC traffic. See README.md.
var trials = Arg("--trials", 5);
var probeInterval = TimeSpan.FromSeconds(Arg("--probe-seconds", 2));
const double MaxErrorRate = 0.05;
const int MinRequests = 20;
var target = TimeSpan.FromSeconds(5);
var failures = 0;

using var host = new GuardsHost(probeInterval);
var address = host.Start();
using var http = new HttpClient { BaseAddress = address };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GuardsHost.Token);
Console.WriteLine($"Guard benchmark: {trials} trials per path, probes every {probeInterval.TotalSeconds:0} s, guard round every "
    + $"{new Cutover.Dashboard.Guards.GuardOptions().Interval.TotalSeconds:0} s, limit {MaxErrorRate:P0} over ≥ {MinRequests} calls, 4 callers");

var errorPath = new List<double>();
var healthPath = new List<double>();
for (var i = 0; i < trials; i++)
{
    errorPath.Add(await TrialAsync($"errors-{i}", failRpc: true));
    healthPath.Add(await TrialAsync($"health-{i}", failRpc: false));
}

Console.WriteLine();
Report("error rate crossed its limit → production reverted", errorPath, target);
Report("agent turned unhealthy (probes only) → production reverted", healthPath, null);
Console.WriteLine("(the routing overhead of the traffic figures the guards read is printed by benchmarks/Routing: figures on vs off)");
// The exit code says whether every step worked (each trial reverted); the figures are printed, not judged here.
return failures == 0 ? 0 : 1;

async Task<double> TrialAsync(string name, bool failRpc)
{
    await using var good = BenchAgent.Start("good");
    await using var next = BenchAgent.Start("next");
    var agentName = $"bench-{name}-{Guid.NewGuid():N}"[..40];
    var (agentId, v1) = await RegisterAsync(agentName, good);
    var (_, v2) = await RegisterAsync(agentName, next);
    await UntilAsync(async () => await HealthAsync(agentId, v1) == "Healthy" && await HealthAsync(agentId, v2) == "Healthy", TimeSpan.FromSeconds(30));
    using (var promote = await http.PostAsJsonAsync($"api/agents/{agentId}/deployments/{v2}/promote",
               new { reason = "bench", guard = new { window = "00:10:00", maxErrorRate = MaxErrorRate, minRequests = MinRequests, requireHealthy = true } }))
        promote.EnsureSuccessStatusCode();

    // Steady traffic from four callers; every call's answer is kept with the moment it completed.
    var calls = new ConcurrentQueue<(long At, bool FromNext, bool Failed)>();
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource();
    var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"bench"}}""";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Not cancelled mid-call: each caller finishes the call it is in, then stops.
                using var response = await http.PostAsync($"api/agents/{agentId}/rpc", new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                calls.Enqueue((clock.ElapsedTicks, text.Contains("\"next\"", StringComparison.Ordinal), !response.IsSuccessStatusCode));
            }
            catch (HttpRequestException e)
            {
                Console.WriteLine($"  call failed: {e.Message}");
                return;
            }
        }
    })).ToList();

    // Two seconds of good traffic, then the switch.
    await Task.Delay(TimeSpan.FromSeconds(2));
    var switchedAt = clock.ElapsedTicks;
    if (failRpc) next.FailRpc = true;
    else next.Unhealthy = true;
    var reverted = await UntilAsync(() => Task.FromResult(calls.Any(c => c.At > switchedAt && !c.FromNext)), TimeSpan.FromSeconds(60));
    await stop.CancelAsync();
    await Task.WhenAll(callers);
    if (!reverted)
    {
        Console.WriteLine($"  {name}: NOT reverted within 60 s");
        failures++;
        return double.NaN;
    }

    var ordered = calls.OrderBy(c => c.At).ToList();
    var revertedAt = ordered.First(c => c.At > switchedAt && !c.FromNext).At;
    // The guard counts every call to the new production since it began; the crossing is the first answer after
    // which that count is over the limit with enough calls (for the health path: the moment of the switch).
    long from = switchedAt, requests = 0, errors = 0;
    if (failRpc)
    {
        foreach (var c in ordered.Where(c => c.FromNext || c.Failed))
        {
            requests++;
            if (c.Failed) errors++;
            if (requests >= MinRequests && (double)errors / requests > MaxErrorRate)
            {
                from = c.At;
                break;
            }
        }
    }

    var seconds = (revertedAt - from) / (double)Stopwatch.Frequency;
    var guard = await http.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/guard");
    var status = guard.GetProperty("status").GetString();
    Console.WriteLine($"  {name}: {seconds:0.00} s ({(failRpc ? $"crossed at call {requests}" : "unhealthy at switch")}; guard {status}, "
        + $"{guard.GetProperty("evidence").GetProperty("requests").GetInt64()} calls / {guard.GetProperty("evidence").GetProperty("errors").GetInt64()} errors judged)");
    if (status != "Reverted") failures++;
    return seconds;
}

void Report(string what, List<double> seconds, TimeSpan? goal)
{
    var valid = seconds.Where(s => !double.IsNaN(s)).Order().ToList();
    if (valid.Count == 0)
    {
        Console.WriteLine($"{what}: no trial reverted  NOT MET");
        return;
    }

    var p50 = valid[valid.Count / 2];
    var max = valid[^1];
    var verdict = goal is { } g ? (max <= g.TotalSeconds && valid.Count == seconds.Count ? $"  target ≤ {g.TotalSeconds:0} s: MET" : $"  target ≤ {g.TotalSeconds:0} s: NOT MET") : "";
    Console.WriteLine($"{what}: p50 {p50:0.00} s, max {max:0.00} s over {valid.Count} trials{verdict}");
}

async Task<(Guid AgentId, Guid DeploymentId)> RegisterAsync(string agentName, BenchAgent agent)
{
    var id = Guid.NewGuid();
    using var response = await http.PostAsJsonAsync("api/agents/register", new
    {
        name = agentName,
        acpUrl = agent.Url.ToString(),
        registrationMetadata = new { deploymentId = id, dockerImage = $"registry.example/bench/{agent.Name}:1" },
    });
    response.EnsureSuccessStatusCode();
    return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), id);
}

async Task<string?> HealthAsync(Guid agentId, Guid deploymentId) =>
    (await http.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{deploymentId}")).GetProperty("health").GetString();

static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan within)
{
    var deadline = Stopwatch.StartNew();
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
    while (deadline.Elapsed < within)
    {
        if (await condition()) return true;
        await timer.WaitForNextTickAsync();
    }

    return false;
}

int Arg(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
