using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Cutover.Tests.E2E.Fault;

/// <summary>
/// The fault harness (issue 15, item 15): the real app as a process over one SQLite file, mixed load (promotes,
/// rollbacks, deploys through the local runtime, registrations, health reports), SIGKILLed N times and restarted.
/// After each restart: PRAGMA integrity_check, every acknowledged promote still reflected, and nothing Pending or
/// Syncing without a live operation (everything in flight settles within the ready timeout). N is
/// CUTOVER_FAULT_KILLS (default 3, for CI); run <c>CUTOVER_FAULT_KILLS=50 dotnet test tests/E2E --filter
/// Category=Fault</c> on demand. Prints kills survived, writes acknowledged, lost and stranded.
/// </summary>
[Trait("Category", "Fault")]
public sealed class FaultHarnessTests(ITestOutputHelper output)
{
    private const string AdminToken = AppProcess.AdminToken;
    private const int Agents = 4;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettleWait = ReadyTimeout + TimeSpan.FromSeconds(40);

    [Fact]
    public async Task KilledRepeatedly_NothingLostNothingStranded()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CUTOVER_FAULT_KILLS"), out var n) && n > 0 ? n : 3;
        var directory = Path.Combine(Path.GetTempPath(), "cutover-fault", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var acked = 0L;
        var lost = 0;
        var stranded = 0;
        var survived = 0;
        var problems = new List<string>();
        var random = new Random(kills);
        try
        {
            var agents = new List<LoadAgent>();
            for (var cycle = 0; cycle <= kills; cycle++)
            {
                await using var app = await StartAsync(directory);
                using var admin = Client(app.BaseUrl, AdminToken);
                if (cycle > 0)
                {
                    survived++;
                    var (l, s, why) = await CheckAsync(admin, directory, agents);
                    lost += l;
                    stranded += s;
                    problems.AddRange(why.Select(w => $"after kill {cycle}: {w}"));
                }

                if (cycle == kills) break;
                if (agents.Count == 0) agents = await SeedAsync(admin);

                using var stop = new CancellationTokenSource();
                var load = agents.Select(a => RunAsync(app.BaseUrl, a, stop.Token)).ToList();
                load.Add(DeployLoopAsync(admin, agents[0], stop.Token));
                await Task.Delay(TimeSpan.FromMilliseconds(1500 + random.Next(2500)));
                await app.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(load);
            }

            acked = agents.Sum(a => a.Acknowledged);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }

        var summary = $"kills survived: {survived}/{kills}, writes acknowledged: {acked}, lost: {lost}, stranded: {stranded}";
        output.WriteLine(summary);
        Console.WriteLine("FAULT HARNESS " + summary);
        foreach (var p in problems) output.WriteLine(p);
        Assert.True(lost == 0 && stranded == 0 && survived == kills, summary + "\n" + string.Join("\n", problems));
    }

    /// <summary>Agents with three Ready deployments each (deployment-scoped registrations) and an agent token.</summary>
    private static async Task<List<LoadAgent>> SeedAsync(HttpClient admin)
    {
        var list = new List<LoadAgent>();
        for (var i = 0; i < Agents; i++)
        {
            var name = $"fault-{i}";
            var deployments = new List<Guid>();
            Guid agentId = default;
            for (var k = 0; k < 3; k++)
            {
                var id = Guid.NewGuid();
                var r = await admin.PostAsJsonAsync("/api/agents/register", new
                {
                    name, acpUrl = $"http://127.0.0.1:9/{name}/{k}",
                    registrationMetadata = new { deploymentId = id, dockerImage = $"registry.local/{name}:{k}" },
                });
                r.EnsureSuccessStatusCode();
                agentId = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                deployments.Add(id);
            }

            var token = await admin.PostAsJsonAsync("/api/tokens", new { name = $"token-{name}", kind = "agent", agentName = name });
            token.EnsureSuccessStatusCode();
            var text = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            list.Add(new LoadAgent(name, agentId, deployments, text) { Production = deployments[0] });
        }

        return list;
    }

    /// <summary>One agent's load, one request at a time, so at a kill at most one of its writes is unacknowledged.</summary>
    private static async Task RunAsync(Uri baseUrl, LoadAgent a, CancellationToken stop)
    {
        using var admin = Client(baseUrl, AdminToken);
        using var agent = Client(baseUrl, a.Token);
        var random = new Random(a.Name.GetHashCode(StringComparison.Ordinal));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                switch (random.Next(4))
                {
                    case 0:
                    case 1:
                        var target = a.Deployments[random.Next(a.Deployments.Count)];
                        a.InFlight = target;
                        var promote = await admin.PostAsJsonAsync($"/api/agents/{a.Id}/deployments/{target}/promote", new { reason = "fault load" }, stop);
                        if (promote.StatusCode == HttpStatusCode.OK) a.Acked(target);
                        break;
                    case 2:
                        a.InFlight = null; // a rollback's target is known only from its answer
                        a.RollbackInFlight = true;
                        var rollback = await admin.PostAsJsonAsync($"/api/agents/{a.Id}/rollback", new { reason = "fault load" }, stop);
                        if (rollback.StatusCode == HttpStatusCode.OK)
                            a.Acked((await rollback.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("id").GetGuid());
                        break;
                    default:
                        var d = a.Deployments[random.Next(a.Deployments.Count)];
                        await agent.PostAsJsonAsync($"/api/agents/{a.Id}/health", new { status = "Healthy", deploymentId = d }, stop);
                        await agent.PostAsJsonAsync("/api/agents/register", new
                        {
                            name = a.Name, acpUrl = $"http://127.0.0.1:9/{a.Name}/{a.Deployments.IndexOf(d)}",
                            registrationMetadata = new { deploymentId = d },
                        }, stop);
                        break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
            {
                return; // the app was killed: whatever was in flight is unacknowledged
            }
        }
    }

    /// <summary>Deploys through the local runtime (real agent processes), one at a time, not awaiting Ready.</summary>
    private static async Task DeployLoopAsync(HttpClient admin, LoadAgent a, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await admin.PostAsJsonAsync($"/api/agents/{a.Id}/deployments", new { dockerImage = "cutover/sample-agent:1.0" }, stop);
                await Task.Delay(700, stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<(int Lost, int Stranded, List<string> Why)> CheckAsync(HttpClient admin, string directory, List<LoadAgent> agents)
    {
        var why = new List<string>();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(directory, "cutover.db")};Mode=ReadOnly;Pooling=False"))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check";
            var verdict = (string?)await cmd.ExecuteScalarAsync();
            if (verdict != "ok") why.Add($"integrity_check: {verdict}");
        }

        var lost = 0;
        foreach (var a in agents)
        {
            var agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{a.Id}");
            var production = agent.GetProperty("productionDeploymentId").GetGuid();
            // The acknowledged production, or the one write that was in flight when the process died.
            var allowed = production == a.Production || production == a.InFlight || (a.RollbackInFlight && a.Deployments.Contains(production));
            if (!allowed)
            {
                lost++;
                why.Add($"{a.Name}: production {production}, acknowledged {a.Production}");
            }

            a.Production = production;
            a.InFlight = null;
            a.RollbackInFlight = false;
        }

        // Everything left in flight by the kill must settle: relaunched (then Ready or Failed) or Failed with a reason.
        var deadline = DateTime.UtcNow + SettleWait;
        List<string> open;
        do
        {
            open = [];
            foreach (var a in agents)
            {
                var agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{a.Id}");
                if (agent.GetProperty("sync").GetString() == "Syncing") open.Add($"{a.Name} Syncing");
                var deployments = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{a.Id}/deployments");
                open.AddRange(deployments.EnumerateArray().Where(d => d.GetProperty("status").GetString() == "Pending")
                    .Select(d => $"{a.Name} deployment {d.GetProperty("id")} Pending ({d.GetProperty("statusDetail")})"));
            }

            if (open.Count == 0) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        why.AddRange(open.Select(o => "stranded: " + o));
        return (lost, open.Count, why);
    }

    private static HttpClient Client(Uri baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static Task<AppProcess> StartAsync(string directory) =>
        AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Cutover:Runtime:Local:Enabled"] = "true",
            ["Cutover:Runtime:ReadyTimeout"] = ReadyTimeout.ToString("c"),
            ["Cutover:RateLimits:Registration:PermitLimit"] = "1000000",
            ["Cutover:RateLimits:HealthReport:PermitLimit"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        }, TimeSpan.FromSeconds(90), directory);

    private sealed class LoadAgent(string name, Guid id, List<Guid> deployments, string token)
    {
        private long _acknowledged;

        public string Name { get; } = name;
        public Guid Id { get; } = id;
        public List<Guid> Deployments { get; } = deployments;
        public string Token { get; } = token;
        public Guid Production { get; set; }
        public Guid? InFlight { get; set; }
        public bool RollbackInFlight { get; set; }
        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        public void Acked(Guid production)
        {
            Production = production;
            InFlight = null;
            RollbackInFlight = false;
            Interlocked.Increment(ref _acknowledged);
        }
    }
}
