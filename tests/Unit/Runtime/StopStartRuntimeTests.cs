using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// Stop and start end to end with real sample-agent processes and the HTTP API: the process really ends (its PID
/// goes away), the preview route answers 409 while stopped and nothing records a failure; started again it registers
/// and answers; production cannot be stopped; viewers cannot do either; idle previews stop by themselves.
/// </summary>
public sealed class StopStartRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly DockerImage V1 = DockerImage.Parse("cutover/sample-agent:1.0");
    private static readonly DockerImage V2 = DockerImage.Parse("cutover/sample-agent:2.0");

    [Fact]
    public async Task StopThenStart_ProcessEndsRpc409NoFailed_ThenReadyAgainAndRpcAnswers()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("stop-rt-bot", null, "test", default);
        await DeployReadyAsync(app, agent.Id, V1);
        var preview = await DeployReadyAsync(app, agent.Id, V2);
        var pid = app.Deploys.Runtime.GetState(preview).ProcessId!.Value;
        using var http = Admin(app);
        Assert.Equal(HttpStatusCode.OK, (await PreviewRpcAsync(http, agent.Id, preview)).StatusCode);

        using var stop = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{preview}/stop", null);

        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        Assert.Equal("Stopped", (await stop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await StatusWait.UntilAsync(() => !IsRunning(pid), Wait, "the stopped deployment's process to exit");
        await StatusWait.UntilAsync(() => app.Deploys.Runtime.GetState(preview).Status == RuntimeStatus.Exited, Wait,
            "the runtime to record the stopped deployment as exited");
        using (var refused = await PreviewRpcAsync(http, agent.Id, preview))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("stopped", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        using var start = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{preview}/start", null);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await StatusWait.UntilAsync(app.Bus, agent.Id, async () => (await ReadAsync(app, preview)).Status == DeploymentStatus.Ready, Wait,
            "the started deployment to register again");
        var newPid = app.Deploys.Runtime.GetState(preview).ProcessId!.Value;
        Assert.NotEqual(pid, newPid);
        Assert.True(IsRunning(newPid));
        using (var answered = await PreviewRpcAsync(http, agent.Id, preview))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Equal(preview.ToString(), answered.Headers.GetValues("X-Cutover-Deployment").Single());
        }

        await using var db = app.OpenDb();
        var kinds = await db.Events.AsNoTracking().Where(e => e.DeploymentId == preview).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync();
        Assert.DoesNotContain(EventKind.Failed, kinds);
        Assert.Equal([EventKind.Stopped, EventKind.Started, EventKind.Ready], kinds.Where(k => k is EventKind.Stopped or EventKind.Started or EventKind.Ready).Skip(1));
        Assert.NotEqual(HealthStatus.Unhealthy, (await ReadAsync(app, preview)).Health);
    }

    [Fact]
    public async Task Stop_ProductionOrAsViewer_RefusedAndTheProcessKeepsRunning()
    {
        using var app = new RuntimeAppFactory();
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("stop-prod-bot", null, "test", default);
        var production = await DeployReadyAsync(app, agent.Id, V1);
        var preview = await DeployReadyAsync(app, agent.Id, V2);
        using var http = Admin(app);
        using var viewer = new HttpClient { BaseAddress = app.ServerUrl };
        viewer.DefaultRequestHeaders.Authorization = new("Bearer", await ApiTokens.CreateAsync(app.Services, Role.Viewer));

        using var prod = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{production}/stop", null);
        using var asViewer = await viewer.PostAsync($"/api/agents/{agent.Id}/deployments/{preview}/stop", null);
        using var startAsViewer = await viewer.PostAsync($"/api/agents/{agent.Id}/deployments/{preview}/start", null);
        using var badId = await http.PostAsync($"/api/agents/{agent.Id}/deployments/not-a-guid/stop", null);
        using var unknown = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{Guid.NewGuid()}/stop", null);

        Assert.Equal(HttpStatusCode.Conflict, prod.StatusCode);
        Assert.Equal(Transitions.CannotStopProduction, (await prod.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, startAsViewer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(app, production)).Status);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(app, preview)).Status);
        Assert.True(IsRunning(app.Deploys.Runtime.GetState(production).ProcessId!.Value));
        Assert.True(IsRunning(app.Deploys.Runtime.GetState(preview).ProcessId!.Value));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/agents/{agent.Id}/rpc", Rpc())).StatusCode);
    }

    [Fact]
    public async Task IdlePreview_ShortSetting_StoppedWithTheReasonAndProductionKeepsRunning()
    {
        using var app = new RuntimeAppFactory();
        // Long enough for both deploys to become Ready before the first one could count as idle.
        app.With("Cutover:Runtime:PreviewIdleStopAfter", "00:00:03");
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("idle-bot", null, "test", default);
        var production = await DeployReadyAsync(app, agent.Id, V1);
        var preview = await DeployReadyAsync(app, agent.Id, V2);
        var pid = app.Deploys.Runtime.GetState(preview).ProcessId!.Value;

        await StatusWait.UntilAsync(app.Bus, agent.Id, async () => (await ReadAsync(app, preview)).Status == DeploymentStatus.Stopped, Wait,
            "the idle preview to be stopped");

        await StatusWait.UntilAsync(() => !IsRunning(pid), Wait, "the idle preview's process to exit");
        var stopped = await ReadAsync(app, preview);
        Assert.Equal("idle 3 s", stopped.StatusDetail);
        await using var db = app.OpenDb();
        var e = await db.Events.AsNoTracking().SingleAsync(x => x.DeploymentId == preview && x.Kind == EventKind.Stopped);
        Assert.Equal("system:idle", e.Actor);
        Assert.StartsWith("Stopped while idle: no RPC for 3 s", e.Reason);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(app, production)).Status);
        Assert.True(IsRunning(app.Deploys.Runtime.GetState(production).ProcessId!.Value));
    }

    [Fact]
    public async Task IdlePreview_CalledHereThenThroughAnotherNode_KeptRunningUntilTheCallsStop()
    {
        using var app = new RuntimeAppFactory();
        app.With("Cutover:Runtime:PreviewIdleStopAfter", "00:00:04");
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("busy-bot", null, "test", default);
        await DeployReadyAsync(app, agent.Id, V1);
        var preview = await DeployReadyAsync(app, agent.Id, V2);
        using var http = Admin(app);

        // Twice the idle time of calls through this node, then twice of calls only another node forwarded (it
        // stamps them as this node's stamp worker does): the preview stays running throughout.
        await KeepCallingAsync(TimeSpan.FromSeconds(8), async () =>
        {
            using var r = await PreviewRpcAsync(http, agent.Id, preview);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }, () => ReadAsync(app, preview));
        await KeepCallingAsync(TimeSpan.FromSeconds(8), async () =>
        {
            await using var db = app.OpenDb();
            await Core.Deployments.RpcStamps.StampAsync(db, preview, DateTime.UtcNow, default);
        }, () => ReadAsync(app, preview));
        await using (var db = app.OpenDb())
            Assert.NotNull((await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == preview)).LastRpcAt);

        await StatusWait.UntilAsync(app.Bus, agent.Id, async () => (await ReadAsync(app, preview)).Status == DeploymentStatus.Stopped, Wait,
            "the preview to be stopped once nobody calls it");
        Assert.Equal("idle 4 s", (await ReadAsync(app, preview)).StatusDetail);
    }

    [Fact]
    public async Task IdleLastGoodDeployment_KeptRunningWhileAGuardMayRevertToIt_StoppedOnceTheGuardEnds()
    {
        using var app = new RuntimeAppFactory();
        app.With("Cutover:Runtime:PreviewIdleStopAfter", "00:00:03");
        app.StartServer();
        var agent = await app.Chokepoint.EnsureAgentAsync("guarded-idle-bot", null, "test", default);
        var lastGood = await DeployReadyAsync(app, agent.Id, V1);
        var next = await DeployReadyAsync(app, agent.Id, V2);
        await app.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(lastGood, ct))!, HealthStatus.Healthy);
            return true;
        });
        var guards = app.Services.GetRequiredService<Core.Guards.GuardService>();
        Assert.True((await app.Services.GetRequiredService<Core.Deployments.DeploymentService>().PromoteAsync(agent.Id, next, null, "test", default,
            guard: new Core.Guards.GuardSettings(TimeSpan.FromMinutes(10), 0.05, 20, RequireHealthy: false))).IsSuccess);
        Assert.Equal(lastGood, (await guards.LatestAsync(agent.Id, default))!.Guard.PreviousDeploymentId);

        // Three idle times with no call: the way back stays up.
        await KeepCallingAsync(TimeSpan.FromSeconds(9), () => Task.CompletedTask, () => ReadAsync(app, lastGood));

        Assert.True((await guards.AbortAsync(agent.Id, null, "test", default)).IsSuccess);
        await StatusWait.UntilAsync(app.Bus, agent.Id, async () => (await ReadAsync(app, lastGood)).Status == DeploymentStatus.Stopped, Wait,
            "the idle deployment to be stopped once no guard needs it");
    }

    /// <summary>Calls every 400 ms for <paramref name="span"/>, checking after each call that the preview still runs.</summary>
    private static async Task KeepCallingAsync(TimeSpan span, Func<Task> call, Func<Task<Deployment>> read)
    {
        var until = DateTime.UtcNow + span;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(400));
        while (DateTime.UtcNow < until)
        {
            await call();
            var d = await read();
            Assert.True(d.Status == DeploymentStatus.Ready, $"The preview was {d.Status} ({d.StatusDetail}) while it was being called.");
            await timer.WaitForNextTickAsync();
        }
    }

    [Fact]
    public async Task StopAndStart_NoLocalRuntime_ConflictSayingTheProcessRunsOutsideCutover()
    {
        using var app = new CutoverAppFactory();
        app.With("Cutover:Runtime:Local:Enabled", "false");
        using var http = app.CreateAdminClient();
        var deployments = app.Services.GetRequiredService<Core.Deployments.DeploymentService>();
        var (agent, _) = await Seed.ReadyAsync(deployments, "pod-api-bot");
        var (_, preview) = await Seed.ReadyAsync(deployments, "pod-api-bot", "registry.local/agents/demo:2.0");

        using var stop = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{preview.Id}/stop", null);
        using var start = await http.PostAsync($"/api/agents/{agent.Id}/deployments/{preview.Id}/start", null);

        Assert.Equal(HttpStatusCode.Conflict, stop.StatusCode);
        Assert.Contains("outside Cutover", (await stop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
    }

    private static HttpClient Admin(RuntimeAppFactory app)
    {
        var http = new HttpClient { BaseAddress = app.ServerUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", CutoverAppFactory.AdminToken);
        return http;
    }

    private static StringContent Rpc() =>
        new("""{"jsonrpc":"2.0","id":1,"method":"agent/info"}""", Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PreviewRpcAsync(HttpClient http, Guid agentId, Guid deploymentId) =>
        http.PostAsync($"/api/agents/{agentId}/deployments/{deploymentId}/rpc", Rpc());

    private static async Task<Guid> DeployReadyAsync(RuntimeAppFactory app, Guid agentId, DockerImage image)
    {
        var outcome = await app.Deploys.DeployAsync(agentId, image, null, "user:alice", default);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        var verdict = await app.Deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);
        Assert.True(verdict.Succeeded, verdict.Reason + "\n" + string.Join("\n", app.Deploys.Runtime.GetOutput(outcome.Value.Id).Lines));
        return outcome.Value.Id;
    }

    private static async Task<Deployment> ReadAsync(RuntimeAppFactory app, Guid deploymentId)
    {
        await using var db = app.OpenDb();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
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
}
