using System.Net;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Cutover.Dashboard.Routing;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Routing;

/// <summary>The three rpc endpoints over real HTTP: targets, error codes as problem details, the served-by header.</summary>
public sealed class RpcEndpointsTests : IClassFixture<KestrelAppFactory>, IAsyncLifetime
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";

    private readonly KestrelAppFactory _app;
    private readonly RoutingData _data;
    private TestBackend _backend = default!;
    private TestBackend _other = default!;

    public RpcEndpointsTests(KestrelAppFactory app)
    {
        _app = app.Started();
        _data = new RoutingData(app.Services);
    }

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("blue");
        _other = await TestBackend.StartAsync("green");
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task ProductionRpc_ProductionDeployment_ForwardsAndNamesDeployment()
    {
        var (agentId, deploymentId) = await _data.RegisterAsync(RoutingData.UniqueName("prod"), _backend.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"backend\":\"blue\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(deploymentId.ToString(), Header(response, RpcHeaders.Deployment));
    }

    [Fact]
    public async Task ProductionRpc_LegacyUrlOnly_ForwardsToLegacyUrl()
    {
        var agentId = await _data.RegisterLegacyAsync(RoutingData.UniqueName("legacy"), _backend.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("blue", await response.Content.ReadAsStringAsync());
        Assert.Equal(RouteTarget.Legacy, Header(response, RpcHeaders.Deployment));
    }

    [Fact]
    public async Task ProductionRpc_NothingRoutable_Returns409Problem()
    {
        var agentId = await _data.BareAgentAsync(RoutingData.UniqueName("bare"));

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "no routable deployment");
    }

    [Fact]
    public async Task ProductionRpc_UnknownAgent_Returns404Problem()
    {
        using var response = await PostAsync($"/api/agents/{Guid.NewGuid()}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No agent");
    }

    [Fact]
    public async Task ByNameRpc_KnownName_ForwardsToProduction()
    {
        var name = RoutingData.UniqueName("named");
        var (_, deploymentId) = await _data.RegisterAsync(name, _backend.Url);

        using var response = await PostAsync($"/api/agents/by-name/{name}/rpc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(deploymentId.ToString(), Header(response, RpcHeaders.Deployment));
    }

    [Fact]
    public async Task ByNameRpc_UnknownName_Returns404Problem()
    {
        using var response = await PostAsync($"/api/agents/by-name/{RoutingData.UniqueName("nobody")}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No agent named");
    }

    [Fact]
    public async Task PreviewRpc_ReadyNonProductionDeployment_ForwardsToThatDeployment()
    {
        var name = RoutingData.UniqueName("preview");
        var (agentId, production) = await _data.RegisterAsync(name, _backend.Url);
        var (_, preview) = await _data.RegisterAsync(name, _other.Url);

        using var toPreview = await PostAsync($"/api/agents/{agentId}/deployments/{preview}/rpc");
        using var toProduction = await PostAsync($"/api/agents/{agentId}/rpc");

        Assert.Equal(HttpStatusCode.OK, toPreview.StatusCode);
        Assert.Contains("green", await toPreview.Content.ReadAsStringAsync());
        Assert.Equal(preview.ToString(), Header(toPreview, RpcHeaders.Deployment));
        Assert.Contains("blue", await toProduction.Content.ReadAsStringAsync());
        Assert.Equal(production.ToString(), Header(toProduction, RpcHeaders.Deployment));
    }

    [Fact]
    public async Task PreviewRpc_AnotherAgentsDeployment_Returns404Problem()
    {
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("mine"), _backend.Url);
        var (_, theirs) = await _data.RegisterAsync(RoutingData.UniqueName("theirs"), _other.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/deployments/{theirs}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "no deployment");
        Assert.Empty(_other.Received);
    }

    [Fact]
    public async Task PreviewRpc_UnknownDeployment_Returns404Problem()
    {
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("known"), _backend.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/deployments/{Guid.NewGuid()}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "no deployment");
    }

    [Fact]
    public async Task PreviewRpc_PendingDeployment_Returns409Problem()
    {
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("pending"), _backend.Url);
        Assert.True(Cutover.Core.Domain.DockerImage.TryParse(RoutingData.Image, out var image, out _));
        var pending = await _data.Deployments.CreateAsync(agentId, image, null, "test", CancellationToken.None);

        using var response = await PostAsync($"/api/agents/{agentId}/deployments/{pending.Value!.Id}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "not Ready");
    }

    [Fact]
    public async Task PreviewRpc_SoftDeletedDeployment_Returns410Problem()
    {
        var name = RoutingData.UniqueName("deleted");
        var (agentId, _) = await _data.RegisterAsync(name, _backend.Url);
        var (_, old) = await _data.RegisterAsync(name, _other.Url);
        using (var before = await PostAsync($"/api/agents/{agentId}/deployments/{old}/rpc"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var deleted = await _data.Deployments.DeleteAsync(agentId, old, "test", "test", CancellationToken.None);
        Assert.True(deleted.IsSuccess);

        using var response = await PostAsync($"/api/agents/{agentId}/deployments/{old}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.Gone, "deleted");
    }

    [Fact]
    public async Task ProductionRpc_AgentUnreachable_Returns502Problem()
    {
        var (agentId, deploymentId) = await _data.RegisterAsync(RoutingData.UniqueName("down"), ClosedPortUrl());

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "could not be reached");
        Assert.Equal(deploymentId.ToString(), Header(response, RpcHeaders.Deployment));
    }

    [Fact]
    public async Task ProductionRpc_AgentAnswersErrorWithoutBody_PassesItThroughUnchanged()
    {
        await using var failing = await TestBackend.StartAsync("failing", ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("failing"), failing.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProductionRpc_RequestBody_ReachesAgentUnchanged()
    {
        await using var echo = await TestBackend.StartAsync("echo", async ctx =>
        {
            ctx.Response.ContentType = ctx.Request.ContentType;
            await ctx.Request.Body.CopyToAsync(ctx.Response.Body);
        });
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("echo"), echo.Url);

        using var response = await PostAsync($"/api/agents/{agentId}/rpc");

        Assert.Equal(Call, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    private async Task<HttpResponseMessage> PostAsync(string path)
    {
        using var client = _app.HttpClient();
        return await client.PostAsync(path, new StringContent(Call, System.Text.Encoding.UTF8, "application/json"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, doc.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A loopback URL where nothing listens: bind a port, then release it.</summary>
    internal static Uri ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/rpc");
    }
}
