using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Dashboard.Runtime;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// The local runtime end to end with real processes: the dashboard (on a real port) starts sample agents, they
/// register and report back, and nothing outlives the dashboard.
/// </summary>
public sealed class LocalRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly DockerImage V1 = DockerImage.Parse("cutover/sample-agent:1.0");
    private static readonly DockerImage V2 = DockerImage.Parse("cutover/sample-agent:2.0");

    [Fact]
    public async Task Deploy_ReadyThenPromote_RpcReachesTheNewVersion()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("rpc-bot", null, "test", default);

        var first = await DeployReadyAsync(app, agent.Id, V1);
        var second = await DeployReadyAsync(app, agent.Id, V2);
        var promoted = await app.Services.GetRequiredService<DeploymentService>().PromoteAsync(agent.Id, second, null, "user:alice", default);
        Assert.True(promoted.IsSuccess);

        // Through the control plane, as a client calls it: the request reaches the newly promoted process.
        await using var db = app.OpenDb();
        var production = await db.Deployments.AsNoTracking().SingleAsync(d => d.AgentId == agent.Id && d.IsProduction);
        Assert.Equal(second, production.Id);
        Assert.NotEqual(first, production.Id);
        using var http = new HttpClient { BaseAddress = app.ServerUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", CutoverAppFactory.AdminToken);
        using var response = await http.PostAsync($"/api/agents/{agent.Id}/rpc", new StringContent(
            """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"which version?"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(second.ToString(), response.Headers.GetValues("X-Cutover-Deployment").Single());
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        var metadata = reply.GetProperty("result").GetProperty("metadata");
        Assert.Equal("2.0", metadata.GetProperty("version").GetString());
        Assert.Equal(second, metadata.GetProperty("deploymentId").GetGuid());
    }

    [Fact]
    public async Task ProcessKilled_DeploymentFailedOutOfSyncAndUnhealthy()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("kill-bot", null, "test", default);
        var id = await DeployReadyAsync(app, agent.Id, V1);
        var pid = app.Deploys.Runtime.GetState(id).ProcessId!.Value;

        Process.GetProcessById(pid).Kill();

        await StatusWait.UntilAsync(app.Bus, agent.Id, async () =>
        {
            await using var db = app.OpenDb();
            var a = await db.Agents.AsNoTracking().SingleAsync(x => x.Id == agent.Id);
            return a.Sync == SyncStatus.OutOfSync;
        }, Wait, "the agent to be OutOfSync after its process was killed");
        await using var check = app.OpenDb();
        var d = await check.Deployments.AsNoTracking().SingleAsync(x => x.Id == id);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Equal(HealthStatus.Unhealthy, d.Health);
        Assert.Contains("exited with code", d.StatusDetail);
    }

    [Fact]
    public async Task BrokenImage_FailedWithTheExitCodeAndOutput()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("broken-bot", null, "test", default);

        var outcome = await app.Deploys.DeployAsync(agent.Id, DockerImage.Parse("cutover/sample-agent:2.1-broken"), null, "test", default);
        var verdict = await app.Deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);

        Assert.False(verdict.Succeeded);
        Assert.Contains("code 3", verdict.Reason);
        Assert.Contains("AGENT_CRASH_ON_START", verdict.Reason);
        Assert.Equal(RuntimeStatus.Exited, app.Deploys.Runtime.GetState(outcome.Value.Id).Status);
    }

    [Fact]
    public async Task Delete_StopsTheDeploymentsProcess()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("delete-bot", null, "test", default);
        await DeployReadyAsync(app, agent.Id, V1);
        var candidate = await DeployReadyAsync(app, agent.Id, V2);
        var pid = app.Deploys.Runtime.GetState(candidate).ProcessId!.Value;

        var deleted = await app.Services.GetRequiredService<DeploymentService>().DeleteAsync(agent.Id, candidate, null, "user:alice", default);

        Assert.True(deleted.IsSuccess);
        await StatusWait.UntilAsync(() => !IsRunning(pid), Wait, "the deleted deployment's process to exit");
        // The runtime records the exit from the process's exit notification, which can trail the PID disappearing.
        await StatusWait.UntilAsync(() => app.Deploys.Runtime.GetState(candidate).Status == RuntimeStatus.Exited, Wait,
            "the runtime to record the deleted deployment as exited");
    }

    [Fact]
    public async Task AppDisposed_NoAgentProcessLeft()
    {
        var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("shutdown-bot", null, "test", default);
        var ids = new[] { await DeployReadyAsync(app, agent.Id, V1), await DeployReadyAsync(app, agent.Id, V2) };
        var pids = ids.Select(id => app.Deploys.Runtime.GetState(id).ProcessId!.Value).ToList();
        Assert.All(pids, pid => Assert.True(IsRunning(pid)));

        app.Dispose();

        // Shutdown kills and waits for every child, so they are gone by the time Dispose returns.
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"agent process {pid} outlived the dashboard"));
    }

    [Fact]
    public async Task AgentToken_OnlyItsHashIsStoredAndTheChildGetsNoDashboardSecrets()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("token-bot", null, "test", default);
        var id = await DeployReadyAsync(app, agent.Id, V1);
        var pid = app.Deploys.Runtime.GetState(id).ProcessId!.Value;

        var environment = ReadEnvironment(pid);

        var token = environment["CUTOVER_TOKEN"];
        await using var db = app.OpenDb();
        var row = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Name == AgentTokenIssuer.TokenName("token-bot"));
        Assert.Equal(TokenKind.Agent, row.Kind);
        Assert.Equal("token-bot", row.AgentName);
        Assert.Equal(TokenSecrets.Hash(token), row.Hash);
        Assert.NotEqual(token, row.Hash);
        Assert.DoesNotContain(environment.Values, v => v.Contains(Infrastructure.CutoverAppFactory.AdminToken));
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Environment.ProcessId.ToString(), environment["CUTOVER_PARENT_PID"]);
    }

    [Fact]
    public async Task ConcurrentDeploys_RuntimeTokensMintedAndAudited_AllReady()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var one = await app.Chokepoint.EnsureAgentAsync("audit-one-bot", null, "test", default);
        var two = await app.Chokepoint.EnsureAgentAsync("audit-two-bot", null, "test", default);

        // Two deploys at once: each mints its token (write gate) while the other's status writes hold the same gate.
        var ids = await Task.WhenAll(DeployReadyAsync(app, one.Id, V1), DeployReadyAsync(app, two.Id, V1));

        var texts = ids.Select(id => ReadEnvironment(app.Deploys.Runtime.GetState(id).ProcessId!.Value)["CUTOVER_TOKEN"]).ToList();
        await using var db = app.OpenDb();
        var events = await db.Events.AsNoTracking().ToListAsync();
        var created = events.Where(e => e.Kind == EventKind.TokenCreated && e.Actor == AgentTokenIssuer.CreatedBy).ToList();
        Assert.Equal(["runtime:audit-one-bot", "runtime:audit-two-bot"], created.Select(e => e.To!.Split(' ')[0]).Order());
        Assert.DoesNotContain(events, e => texts.Any(t => $"{e.Reason} {e.From} {e.To}".Contains(t, StringComparison.Ordinal)));
    }

    private static async Task<Guid> DeployReadyAsync(RuntimeAppFactory app, Guid agentId, DockerImage image)
    {
        var outcome = await app.Deploys.DeployAsync(agentId, image, null, "user:alice", default);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        var verdict = await app.Deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);
        Assert.True(verdict.Succeeded, verdict.Reason + "\n" + string.Join("\n", app.Deploys.Runtime.GetOutput(outcome.Value.Id).Lines));
        return outcome.Value.Id;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ReadEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
}
