using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Guards;

/// <summary>
/// Guarded promotion through the real app: a promote carries a guard, RPCs Cutover forwards over real HTTP to a
/// real backend are its evidence, and when that backend starts answering 500 the guard reverts production by itself.
/// Also the guard routes' rules: who may call them, bad guards named by field, 404 and 409.
/// </summary>
public sealed class GuardApiTests : IClassFixture<KestrelAppFactory>
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly KestrelAppFactory _app;
    private readonly RoutingData _data;

    public GuardApiTests(KestrelAppFactory app)
    {
        _app = app.Started();
        _data = new RoutingData(app.Services);
    }

    [Fact]
    public async Task GuardedPromote_BackendStartsFailing_RevertsToTheLastGood_WithTheEvidence()
    {
        var failing = false;
        await using var good = await TestBackend.StartAsync("good");
        await using var flaky = await TestBackend.StartAsync("flaky", ctx =>
        {
            ctx.Response.ContentType = "application/json";
            // Health probes (GET) stay fine: only the RPCs fail, so it is the error rate that trips the guard.
            if (Volatile.Read(ref failing) && HttpMethods.IsPost(ctx.Request.Method)) ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return ctx.Response.WriteAsync("""{"jsonrpc":"2.0","id":1,"result":{}}""");
        });
        var name = RoutingData.UniqueName("guarded");
        var (agentId, v1) = await _data.RegisterAsync(name, good.Url);
        var (_, v2) = await _data.RegisterAsync(name, flaky.Url);
        await SetHealthyAsync(agentId, v1, v2);
        using var admin = _app.HttpClient();

        using var promote = await admin.PostAsJsonAsync($"/api/agents/{agentId}/deployments/{v2}/promote",
            new { reason = "v2", guard = new { window = "00:05:00", maxErrorRate = 0.2, minRequests = 10 } });
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        var guard = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/guard");
        Assert.Equal("Watching", guard.GetProperty("status").GetString());
        Assert.Equal(v2, guard.GetProperty("deploymentId").GetGuid());
        Assert.Equal(v1, guard.GetProperty("previousDeploymentId").GetGuid());
        Assert.Equal("00:05:00", guard.GetProperty("settings").GetProperty("window").GetString());

        // Healthy traffic: counted as evidence, no revert.
        for (var i = 0; i < 10; i++) await RpcAsync(admin, agentId, HttpStatusCode.OK);
        guard = await GuardUntilAsync(admin, agentId, g => g.GetProperty("evidence").GetProperty("requests").GetInt64() >= 10);
        Assert.Equal("Watching", guard.GetProperty("status").GetString());
        Assert.Equal(0, guard.GetProperty("evidence").GetProperty("errors").GetInt64());

        Volatile.Write(ref failing, true);
        for (var i = 0; i < 20; i++) await RpcAsync(admin, agentId, HttpStatusCode.InternalServerError);
        guard = await GuardUntilAsync(admin, agentId, g => g.GetProperty("status").GetString() != "Watching");

        Assert.Equal("Reverted", guard.GetProperty("status").GetString());
        Assert.Equal(v1, guard.GetProperty("revertedToDeploymentId").GetGuid());
        var evidence = guard.GetProperty("evidence");
        Assert.Equal(30, evidence.GetProperty("requests").GetInt64());
        Assert.Equal(20, evidence.GetProperty("errors").GetInt64());
        Assert.Contains("above the limit of 20 %", guard.GetProperty("reason").GetString());
        var agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");
        Assert.Equal(v1, agent.GetProperty("productionDeploymentId").GetGuid());
        // The next call goes to the good deployment again.
        await RpcAsync(admin, agentId, HttpStatusCode.OK);
        var events = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/events");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("kind").GetString() == "AutoReverted");
    }

    [Fact]
    public async Task GuardRoutes_Rules()
    {
        await using var backend = await TestBackend.StartAsync("rules");
        var name = RoutingData.UniqueName("guard-rules");
        var (agentId, v1) = await _data.RegisterAsync(name, backend.Url);
        var (_, v2) = await _data.RegisterAsync(name, backend.Url);
        using var admin = _app.HttpClient();
        using var viewer = _app.HttpClient(await _data.CreateTokenAsync(Role.Viewer));

        await AssertProblemAsync(await admin.GetAsync($"/api/agents/{agentId}/guard"), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(await admin.GetAsync("/api/agents/nope/guard"), HttpStatusCode.BadRequest, "id");
        await AssertProblemAsync(await admin.PostAsync($"/api/agents/{agentId}/guard/abort", null), HttpStatusCode.Conflict, null);

        foreach (var (guard, field) in new (object, string)[]
        {
            (new { window = "5m" }, "guard.window"),
            (new { window = "00:00:01" }, "guard.window"),
            (new { window = "00:05:00", maxErrorRate = 1.5 }, "guard.maxErrorRate"),
            (new { window = "00:05:00", minRequests = 0 }, "guard.minRequests"),
        })
        {
            using var bad = await admin.PostAsJsonAsync($"/api/agents/{agentId}/deployments/{v2}/promote", new { guard });
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, field);
        }

        // A refused guard refused the promote too: nothing moved.
        var agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");
        Assert.Equal(v1, agent.GetProperty("productionDeploymentId").GetGuid());

        using var promoted = await admin.PostAsJsonAsync($"/api/agents/{agentId}/deployments/{v2}/promote", new { guard = new { window = "00:10:00" } });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var watching = await viewer.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/guard");
        Assert.Equal("Watching", watching.GetProperty("status").GetString());
        Assert.Equal(0.05, watching.GetProperty("settings").GetProperty("maxErrorRate").GetDouble());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/agents/{agentId}/guard/abort", null)).StatusCode);
        using var anonymous = _app.HttpClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/agents/{agentId}/guard")).StatusCode);

        using var abort = await admin.PostAsJsonAsync($"/api/agents/{agentId}/guard/abort", new { reason = "fine" });
        Assert.Equal(HttpStatusCode.OK, abort.StatusCode);
        var aborted = await abort.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Aborted", aborted.GetProperty("status").GetString());
        agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");
        Assert.Equal(v2, agent.GetProperty("productionDeploymentId").GetGuid());

        // The agent's default guard (an extension): set, shown on the agent, used by the next promote, cleared.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/agents/{agentId}/guard/default", new { window = "00:02:00" })).StatusCode);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/agents/{agentId}/guard/default", new { window = "x" }), HttpStatusCode.BadRequest, "guard.window");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/agents/{agentId}/guard/default", new { window = "00:02:00", minRequests = 5 })).StatusCode);
        agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");
        Assert.Equal("00:02:00", agent.GetProperty("defaultGuard").GetProperty("window").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/agents/{agentId}/deployments/{v1}/promote", null)).StatusCode);
        var byDefault = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/guard");
        Assert.Equal(("Watching", 5), (byDefault.GetProperty("status").GetString(), byDefault.GetProperty("settings").GetProperty("minRequests").GetInt32()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/agents/{agentId}/guard/default")).StatusCode);
        agent = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("defaultGuard").ValueKind);
    }

    private async Task SetHealthyAsync(Guid agentId, params Guid[] deployments)
    {
        var chokepoint = _app.Services.GetRequiredService<StatusChokepoint>();
        await chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
        {
            foreach (var id in deployments) t.SetDeploymentHealth((await t.FindDeploymentAsync(id, ct))!, HealthStatus.Healthy);
            return true;
        });
    }

    private static async Task RpcAsync(HttpClient client, Guid agentId, HttpStatusCode expected)
    {
        using var response = await client.PostAsync($"/api/agents/{agentId}/rpc", new StringContent(Call, Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Reads the guard until <paramref name="done"/> holds (bounded by <see cref="Wait"/>).</summary>
    private static async Task<JsonElement> GuardUntilAsync(HttpClient client, Guid agentId, Func<JsonElement, bool> done)
    {
        using var cts = new CancellationTokenSource(Wait);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            var guard = await client.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/guard", cts.Token);
            if (done(guard)) return guard;
        }
        while (await timer.WaitForNextTickAsync(cts.Token));

        throw new TimeoutException("unreachable");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? field)
    {
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is null) return;
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }
}
