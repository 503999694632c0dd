using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Benchmarks.Sources;
using Cutover.Core.Persistence;
using Cutover.Core.Sources;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Sources benchmark: webhook → deployment created (p50/p99), a no-op sync of 100 declared agents, and 50 sources
// polled every 10 s for a minute (CPU of Cutover and of its git processes). See README.md.
var webhooks = Arg("--webhooks", 50);
var pollSeconds = Arg("--poll-seconds", 60);
var root = Path.Combine(Path.GetTempPath(), "cutover-bench-sources", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
const string Secret = "bench-webhook-secret";
var failures = 0;
try
{
    using var host = new SourcesHost();
    var address = host.Start();
    using var http = new HttpClient { BaseAddress = address };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SourcesHost.Token);
    var syncs = host.Services.GetRequiredService<SourceSyncService>();
    var bus = host.Services.GetRequiredService<StatusBus>();
    var dbFactory = host.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();

    // 1. Webhook received → deployment created.
    var repo = new BenchRepo(Path.Combine(root, "repo-webhook"));
    repo.Commit("agents:\n  - name: hooked\n    image: registry.example/bench/hooked:0\n", "v0");
    var sourceId = await CreateSourceAsync(http, "webhook", repo.Path, "00:00:00");
    var first = await syncs.RequestAsync(sourceId, SyncTrigger.Manual, new BranchHead(), default);
    await first!.Completion;
    Guid agentId;
    await using (var db = await dbFactory.CreateDbContextAsync())
        agentId = await db.Agents.Where(a => a.Name == "hooked").Select(a => a.Id).SingleAsync();
    var latencies = new List<double>();
    for (var i = 1; i <= webhooks; i++)
    {
        var image = $"registry.example/bench/hooked:{i}";
        var sha = repo.Commit($"agents:\n  - name: hooked\n    image: {image}\n", $"v{i}");
        var body = JsonSerializer.Serialize(new { @ref = "refs/heads/main", after = sha });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/webhooks/github/{sourceId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(body)));
        using var subscription = bus.Subscribe(agentId);
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode != 202) { failures++; continue; }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Created deployments publish their creation on the bus: wait for this image's, not a poll of the database.
        while (true)
        {
            var change = await subscription.Changes.ReadAsync(deadline.Token);
            if (change.Kind == Cutover.Core.Domain.EventKind.Created && change.To == image) break;
        }

        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    latencies.Sort();
    Console.WriteLine($"webhook received -> deployment created ({latencies.Count} pushes): p50 {Pct(latencies, 50):0.0} ms, p99 {Pct(latencies, 99):0.0} ms (target p50 <= 1000 ms)");

    // 2. A no-op sync of a source declaring 100 agents.
    var big = new BenchRepo(Path.Combine(root, "repo-100"));
    big.Commit("agents:\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"  - name: many-{i:000}\n    image: registry.example/bench/many:1\n")), "100 agents");
    var bigId = await CreateSourceAsync(http, "hundred", big.Path, "00:00:00");
    await (await syncs.RequestAsync(bigId, SyncTrigger.Manual, new BranchHead(), default))!.Completion;
    var noops = new List<double>();
    for (var i = 0; i < 10; i++)
    {
        var watch = Stopwatch.StartNew();
        var result = await (await syncs.RequestAsync(bigId, SyncTrigger.Manual, new BranchHead(), default))!.Completion;
        noops.Add(watch.Elapsed.TotalMilliseconds);
        if (result.Status != SourceStatus.Succeeded || result.Agents.Any(a => a.Action != SourceAgentAction.NoOp)) failures++;
    }

    noops.Sort();
    Console.WriteLine($"no-op sync of 100 declared agents (10 runs): p50 {Pct(noops, 50):0} ms, max {noops[^1]:0} ms (target <= 500 ms)");

    // 3. 50 sources polled every 10 s for a minute.
    var ids = new List<Guid>();
    for (var i = 0; i < 50; i++)
    {
        var polled = new BenchRepo(Path.Combine(root, $"repo-poll-{i:00}"));
        polled.Commit($"agents:\n  - name: polled-{i:00}\n    image: registry.example/bench/polled:1\n", "one agent");
        ids.Add(await CreateSourceAsync(http, $"poll-{i:00}", polled.Path, "00:00:10"));
    }

    await Task.Delay(TimeSpan.FromSeconds(12)); // first polls (each source's first clone) are not the steady state
    var before = Cpu();
    var polls0 = await CountSyncsAsync(dbFactory, ids);
    var wall = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(pollSeconds));
    var after = Cpu();
    var polls = await CountSyncsAsync(dbFactory, ids) - polls0;
    var self = after.Self - before.Self;
    var children = after.Children - before.Children;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"50 sources polled every 10 s for {wall.Elapsed.TotalSeconds:0} s: {polls} syncs; CPU {self.TotalSeconds:0.00} s in Cutover + {children.TotalSeconds:0.00} s in git = {(self + children).TotalSeconds / wall.Elapsed.TotalSeconds * 100:0.0}% of one core"));
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

return failures == 0 ? 0 : 1;

static async Task<Guid> CreateSourceAsync(HttpClient http, string name, string repo, string poll)
{
    var response = await http.PostAsJsonAsync("api/sources", new { name, repoUrl = repo, pollInterval = poll, webhookSecret = Secret });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
}

static async Task<int> CountSyncsAsync(IDbContextFactory<CutoverDbContext> dbFactory, List<Guid> ids)
{
    await using var db = await dbFactory.CreateDbContextAsync();
    return await db.Set<SourceSync>().CountAsync(s => ids.Contains(s.SourceId));
}

// Process CPU plus that of reaped children (the git processes), from /proc/self/stat (clock ticks of 10 ms).
static (TimeSpan Self, TimeSpan Children) Cpu()
{
    var self = Process.GetCurrentProcess().TotalProcessorTime;
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are at 13 and 14.
    var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
    return (self, TimeSpan.FromMilliseconds(ticks * 10));
}

static double Pct(List<double> sorted, int p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
