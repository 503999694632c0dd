using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Fault;

/// <summary>
/// Issue 17's crash test against the real process: a provisioning run is SIGKILLed mid-run (some agents woken, one
/// created and still waking), Cutover restarts over the same database, the run is Interrupted with a ledger that holds
/// every agent created, and its teardown leaves no agent and no process of it. Deterministic: the last agent's image is
/// a process that never registers, so the run is certainly still Running when it is killed.
/// </summary>
[Trait("Category", "Fault")]
public sealed class ProvisioningCrashTests
{
    private const int Woken = 4;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KilledMidRun_RestartedInterruptedWithCompleteLedger_TeardownLeavesNothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cutover-prov-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var firstPids = new List<int>();
        var stuckPids = new List<int>();
        try
        {
            Guid runId;
            await using (var first = await StartAsync(directory))
            {
                using var http = first.CreateClient();
                var agents = Enumerable.Range(0, Woken).Select(i => $$"""{"name":"crash-{{i}}","image":"cutover/sample-agent:1.0"}""")
                    .Append("""{"name":"crash-stuck","image":"test/never-registers:1"}""");
                var posted = await http.PostAsync("/api/provisioning/runs", new StringContent(
                    $$"""{"name":"crash-run","maxConcurrent":5,"onFailure":"keep","agents":[{{string.Join(",", agents)}}]}""",
                    Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
                runId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

                var midRun = await UntilAsync(http, runId, run =>
                    Steps(run).Count(s => s == "Woken") == Woken && Steps(run)[Woken] == "Created", "four agents woken, the fifth waking");
                Assert.Equal("Running", midRun.GetProperty("status").GetString());
                // The console names each process with its agent: the stand-in's apart from the sample agents'.
                firstPids.AddRange(AgentProcesses.StartedIn(first.Output.Where(l => !l.Contains("of crash-stuck ", StringComparison.Ordinal))));
                stuckPids.AddRange(AgentProcesses.StartedIn(first.Output.Where(l => l.Contains("of crash-stuck ", StringComparison.Ordinal))));
                Assert.Equal((Woken, 1), (firstPids.Count, stuckPids.Count));
                await first.KillAsync();
            }

            await using var second = await StartAsync(directory);
            using var admin = second.CreateClient();
            var interrupted = await admin.GetFromJsonAsync<JsonElement>($"/api/provisioning/runs/{runId}");
            Assert.Equal("Interrupted", interrupted.GetProperty("status").GetString());
            var ledger = interrupted.GetProperty("ledger").EnumerateArray().ToList();
            Assert.Equal([.. Enumerable.Repeat("Woken", Woken), "Created"], Steps(interrupted));
            var ledgerAgents = ledger.Select(r => r.GetProperty("agentId").GetGuid()).ToHashSet();
            Assert.Equal(Woken + 1, ledgerAgents.Count);

            // Zero orphans: every agent that exists belongs to the ledger (this database holds only the run's).
            var listed = await admin.GetFromJsonAsync<JsonElement>("/api/agents?pageSize=200");
            var existing = listed.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ToHashSet();
            Assert.Equal(ledgerAgents, existing);

            Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync($"/api/provisioning/runs/{runId}")).StatusCode);
            var torn = await UntilAsync(admin, runId, run => run.GetProperty("status").GetString() is "TornDown" or "Failed", "the teardown to end");
            Assert.Equal("TornDown", torn.GetProperty("status").GetString());
            Assert.All(Steps(torn), s => Assert.Equal("TornDown", s));
            Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/agents?pageSize=200")).GetProperty("total").GetInt32());
            foreach (var id in ledgerAgents)
            {
                var agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}");
                Assert.NotEqual(JsonValueKind.Null, agent.GetProperty("deletedAt").ValueKind);
            }

            // No process of the run survives: the woken agents exit on their own once the killed Cutover is gone,
            // and whatever the restarted one started for the run is stopped by the teardown.
            var secondPids = AgentProcesses.StartedIn(second.Output);
            var sampleAgents = firstPids.Concat(secondPids).ToList();
            await UntilAsync(() => sampleAgents.All(p => !AgentProcesses.IsRunning(p)), "every agent process of the run to exit");
        }
        finally
        {
            // The never-registering stand-in (a plain sleep) does not watch for its parent: end the one the killed
            // Cutover started (a process this test caused, by pid).
            foreach (var pid in stuckPids.Where(AgentProcesses.IsRunning))
            {
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
            }

            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static List<string> Steps(JsonElement run) =>
        run.GetProperty("ledger").EnumerateArray().Select(r => r.GetProperty("step").GetString()!).ToList();

    /// <summary>Re-reads the run (another process: nothing to subscribe to) until the condition holds or the deadline.</summary>
    private static async Task<JsonElement> UntilAsync(HttpClient http, Guid runId, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var run = await http.GetFromJsonAsync<JsonElement>($"/api/provisioning/runs/{runId}");
            if (condition(run)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}: {run}");
            await Task.Delay(100);
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private static Task<AppProcess> StartAsync(string directory) =>
        AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Cutover:Runtime:Local:Enabled"] = "true",
            ["Cutover:Runtime:ReadyTimeout"] = ReadyTimeout.ToString("c"),
            ["Cutover:Runtime:Local:Images:test/never-registers:1:Command"] = "sleep",
            ["Cutover:Runtime:Local:Images:test/never-registers:1:Args:0"] = "120",
        }, TimeSpan.FromSeconds(90), directory);
}
