using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Routing;
using Microsoft.AspNetCore.Http;

namespace Cutover.Tests.Unit.Traffic;

/// <summary>
/// <c>GET /api/agents/{id}/deployments/{deploymentId}/stats</c> through the real app, after RPCs it forwarded over
/// real HTTP to real backends: production and preview calls count for their own deployment, a backend's 500 and an
/// unreachable agent (502) count as errors; viewers may read; bad ids and windows are 400 naming the field, unknown
/// or another agent's deployments 404.
/// </summary>
public sealed class DeploymentStatsApiTests : IClassFixture<KestrelAppFactory>
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly KestrelAppFactory _app;
    private readonly RoutingData _data;

    public DeploymentStatsApiTests(KestrelAppFactory app)
    {
        _app = app.Started();
        _data = new RoutingData(app.Services);
    }

    [Fact]
    public async Task Stats_AfterForwardedCalls_CountRequestsErrorsAndLatencyPerDeployment()
    {
        await using var good = await TestBackend.StartAsync("good");
        await using var failing = await TestBackend.StartAsync("failing", ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return ctx.Response.WriteAsync("""{"error":"boom"}""");
        });
        var name = RoutingData.UniqueName("stats");
        var (agentId, production) = await _data.RegisterAsync(name, good.Url);
        var (_, preview) = await _data.RegisterAsync(name, failing.Url);
        var (_, unreachable) = await _data.RegisterAsync(name, new Uri("http://127.0.0.1:9/rpc"));
        using var admin = _app.HttpClient();

        for (var i = 0; i < 3; i++) await RpcAsync(admin, $"/api/agents/{agentId}/rpc", HttpStatusCode.OK);
        for (var i = 0; i < 2; i++) await RpcAsync(admin, $"/api/agents/{agentId}/deployments/{preview}/rpc", HttpStatusCode.InternalServerError);
        await RpcAsync(admin, $"/api/agents/{agentId}/deployments/{unreachable}/rpc", HttpStatusCode.BadGateway);
        await RpcAsync(admin, $"/api/agents/{agentId}/deployments/{production}/rpc", HttpStatusCode.OK);

        using var viewer = _app.HttpClient(await _data.CreateTokenAsync(Role.Viewer));
        var p = await StatsUntilAsync(viewer, agentId, production, 4);
        Assert.Equal("00:01:00", p.GetProperty("window").GetString());
        Assert.Equal(0, p.GetProperty("errors").GetInt64());
        Assert.Equal(0, p.GetProperty("errorRate").GetDouble());
        Assert.True(p.GetProperty("p50Ms").GetDouble() > 0);
        Assert.True(p.GetProperty("p99Ms").GetDouble() >= p.GetProperty("p50Ms").GetDouble());

        var f = await StatsUntilAsync(viewer, agentId, preview, 2);
        Assert.Equal((2, 1.0), (f.GetProperty("errors").GetInt64(), f.GetProperty("errorRate").GetDouble()));
        var u = await StatsUntilAsync(viewer, agentId, unreachable, 1);
        Assert.Equal(1, u.GetProperty("errors").GetInt64());

        var quarter = await viewer.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/deployments/{preview}/stats?window=00:15:00");
        Assert.Equal(("00:15:00", 2, 2), (quarter.GetProperty("window").GetString(), quarter.GetProperty("requests").GetInt64(), quarter.GetProperty("errors").GetInt64()));
    }

    [Fact]
    public async Task Stats_NoTrafficYet_ZerosAndNullLatency()
    {
        var (agentId, deploymentId) = await _data.RegisterAsync(RoutingData.UniqueName("quiet"), new Uri("http://127.0.0.1:9/rpc"));
        using var admin = _app.HttpClient();
        var s = await admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}/deployments/{deploymentId}/stats");
        Assert.Equal(0, s.GetProperty("requests").GetInt64());
        Assert.Equal(0, s.GetProperty("errorRate").GetDouble());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("p50Ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("p99Ms").ValueKind);
    }

    [Fact]
    public async Task Stats_BadInput_UnknownOrForeignDeployment_AndCallers()
    {
        var (agentId, deploymentId) = await _data.RegisterAsync(RoutingData.UniqueName("stats-rules"), new Uri("http://127.0.0.1:9/rpc"));
        var (otherAgent, otherDeployment) = await _data.RegisterAsync(RoutingData.UniqueName("stats-other"), new Uri("http://127.0.0.1:9/rpc"));
        using var admin = _app.HttpClient();

        await AssertProblemAsync(admin, $"/api/agents/nope/deployments/{deploymentId}/stats", HttpStatusCode.BadRequest, "id");
        await AssertProblemAsync(admin, $"/api/agents/{agentId}/deployments/nope/stats", HttpStatusCode.BadRequest, "deploymentId");
        await AssertProblemAsync(admin, $"/api/agents/{agentId}/deployments/{deploymentId}/stats?window=5m", HttpStatusCode.BadRequest, "window");
        await AssertProblemAsync(admin, $"/api/agents/{agentId}/deployments/{deploymentId}/stats?window=00:05:00", HttpStatusCode.BadRequest, "window");
        await AssertProblemAsync(admin, $"/api/agents/{agentId}/deployments/{Guid.NewGuid()}/stats", HttpStatusCode.NotFound, null);
        await AssertProblemAsync(admin, $"/api/agents/{Guid.NewGuid()}/deployments/{deploymentId}/stats", HttpStatusCode.NotFound, null);
        await AssertProblemAsync(admin, $"/api/agents/{agentId}/deployments/{otherDeployment}/stats", HttpStatusCode.NotFound, null);
        Assert.NotEqual(agentId, otherAgent);

        var path = $"/api/agents/{agentId}/deployments/{deploymentId}/stats";
        using var anonymous = _app.HttpClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        using var agent = _app.HttpClient(await _data.CreateTokenAsync(null, agentName: "some-agent"));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(path)).StatusCode);
        using var viewer = _app.HttpClient(await _data.CreateTokenAsync(Role.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(path)).StatusCode);
    }

    private static async Task RpcAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(path, new StringContent(Call, Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>
    /// The forwarder records a call once it has handed the answer on, so the caller may read the figures a moment
    /// before its own call is in them: waits (bounded) until <paramref name="requests"/> are counted, then never more.
    /// </summary>
    private static async Task<JsonElement> StatsUntilAsync(HttpClient client, Guid agentId, Guid deploymentId, long requests)
    {
        using var cts = new CancellationTokenSource(Wait);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        JsonElement stats;
        do
        {
            using var response = await client.GetAsync($"/api/agents/{agentId}/deployments/{deploymentId}/stats", cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            stats = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            var counted = stats.GetProperty("requests").GetInt64();
            Assert.True(counted <= requests, $"{counted} requests counted, only {requests} were sent");
            if (counted == requests) return stats;
        }
        while (await timer.WaitForNextTickAsync(cts.Token));

        return stats;
    }

    private static async Task AssertProblemAsync(HttpClient client, string path, HttpStatusCode expected, string? field)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is null) return;
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
