using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Provisioning;

/// <summary>Issue 17's benchmark: a run of 50 sample agents (real processes) at maxConcurrent 8, its teardown, then 200
/// randomly injected faults (seeded) with the orphan count after them. Exit code 1 when an orphan remains.</summary>
internal static class ProvisioningBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var agents = Arg("--agents", 50);
        var maxConcurrent = Arg("--max-concurrent", 8);
        var faults = Arg("--faults", 200);
        var seed = Arg("--seed", 17);
        var exit = 0;

        await using (var host = new ProvisioningHost(TimeSpan.FromMinutes(2)))
        {
            var http = Client(host.Start());
            var bus = host.Services.GetRequiredService<StatusBus>();
            var spec = Spec("bench", Enumerable.Range(0, agents).Select(i => $"bench-{i}"), maxConcurrent, "keep");
            var watch = Stopwatch.StartNew();
            var (id, run) = await ApplyAsync(http, bus, spec, "Succeeded", "Failed");
            var ready = watch.Elapsed;
            var woken = Steps(run).Count(s => s == "Woken");
            Console.WriteLine($"run: {agents} sample agents, maxConcurrent {maxConcurrent}: {woken} Ready in {Seconds(ready)} (status {run.GetProperty("status").GetString()})");
            if (woken != agents) exit = 1;

            watch.Restart();
            var delete = await http.DeleteAsync($"runs/{id}");
            delete.EnsureSuccessStatusCode();
            var torn = await UntilAsync(http, bus, id, "TornDown", "Failed");
            var teardown = watch.Elapsed;
            var running = await RunningAsync(host);
            Console.WriteLine($"teardown: {Seconds(teardown)} (target <= 10 s: {(teardown <= TimeSpan.FromSeconds(10) ? "met" : "missed")}), status {torn.GetProperty("status").GetString()}, processes still running: {running}");
        }

        await using (var host = new ProvisioningHost(TimeSpan.FromSeconds(3)))
        {
            var http = Client(host.Start());
            var bus = host.Services.GetRequiredService<StatusBus>();
            var plan = host.Services.GetRequiredService<FaultPlan>();
            var random = new Random(seed);
            var kinds = new[] { Fault.None, Fault.CreateThrows, Fault.CreateThrowsAfterCommit, Fault.WakeThrows, Fault.WakeHangs };
            var injected = 0;
            var rounds = 0;
            var watch = Stopwatch.StartNew();
            while (plan.Met < faults)
            {
                var names = Enumerable.Range(0, 10).Select(i => $"f{rounds}-{i}").ToList();
                foreach (var name in names)
                {
                    var fault = kinds[random.Next(kinds.Length)];
                    if (fault == Fault.None) continue;
                    plan.Faults[name] = fault;
                    injected++;
                }

                var onFailure = random.Next(2) == 0 ? "teardown" : "keep";
                var (id, run) = await ApplyAsync(http, bus, Spec($"f{rounds}", names, 4, onFailure), "Succeeded", "Failed", "TornDown");
                if (run.GetProperty("status").GetString() != "TornDown")
                {
                    (await http.DeleteAsync($"runs/{id}")).EnsureSuccessStatusCode();
                    await UntilAsync(http, bus, id, "TornDown", "Failed");
                }

                rounds++;
            }

            var orphans = await OrphansAsync(host);
            Console.WriteLine($"faults: {plan.Met} met ({injected} assigned) over {rounds} runs in {Seconds(watch.Elapsed)}; orphans after teardown: {orphans.Count} (must be 0)");
            foreach (var o in orphans) Console.WriteLine("  orphan: " + o);
            if (orphans.Count > 0) exit = 1;
        }

        return exit;

        static async Task<(Guid Id, JsonElement Run)> ApplyAsync(HttpClient http, StatusBus bus, string spec, params string[] ends)
        {
            var response = await http.PostAsync("runs", new StringContent(spec, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            return (id, await UntilAsync(http, bus, id, ends));
        }

        // Re-reads the run on each of its committed changes until it reaches one of the end states.
        static async Task<JsonElement> UntilAsync(HttpClient http, StatusBus bus, Guid id, params string[] ends)
        {
            using var live = bus.SubscribeRuns();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            while (true)
            {
                var run = await http.GetFromJsonAsync<JsonElement>($"runs/{id}", cts.Token);
                if (ends.Contains(run.GetProperty("status").GetString())) return run;
                await live.Changes.ReadAsync(cts.Token);
            }
        }

        // Agents that are not deleted and processes that run, that no ledger row holds; and anything of a torn-down run.
        static async Task<List<string>> OrphansAsync(ProvisioningHost host)
        {
            var runtime = host.Services.GetRequiredService<IDeploymentRuntime>();
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
            var ledger = await db.LedgerEntries.Where(e => e.AgentId != null).Select(e => e.AgentId!.Value).ToListAsync();
            var live = await db.Agents.Where(a => a.DeletedAt == null).Select(a => new { a.Id, a.Name }).ToListAsync();
            var orphans = live.Select(a => ledger.Contains(a.Id) ? $"agent {a.Name} outlived its run's teardown" : $"agent {a.Name} in no ledger").ToList();
            var deployments = await db.Deployments.Select(d => d.Id).ToListAsync();
            orphans.AddRange(deployments.Where(d => runtime.GetState(d).Status == RuntimeStatus.Running).Select(d => $"process of deployment {d}"));
            return orphans;
        }

        static async Task<int> RunningAsync(ProvisioningHost host)
        {
            var runtime = host.Services.GetRequiredService<IDeploymentRuntime>();
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
            var deployments = await db.Deployments.Select(d => d.Id).ToListAsync();
            return deployments.Count(d => runtime.GetState(d).Status == RuntimeStatus.Running);
        }

        static List<string> Steps(JsonElement run) => run.GetProperty("ledger").EnumerateArray().Select(r => r.GetProperty("step").GetString()!).ToList();

        static string Spec(string name, IEnumerable<string> names, int maxConcurrent, string onFailure) =>
            JsonSerializer.Serialize(new
            {
                name,
                maxConcurrent,
                onFailure,
                agents = names.Select((n, i) => new { name = n, image = i % 2 == 0 ? "cutover/sample-agent:1.0" : "cutover/sample-agent:2.0" }),
            });

        static HttpClient Client(Uri baseUrl)
        {
            var http = new HttpClient { BaseAddress = new Uri(baseUrl, "api/provisioning/"), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", ProvisioningHost.Token);
            return http;
        }

        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }
    }
}
