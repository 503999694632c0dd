using System.Net;
using Microsoft.AspNetCore.Http;
using System.Text;
using Cutover.Dashboard.Routing;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Routing;

/// <summary>Forwarding with tight settings in an app of its own: a short activity timeout, loopback refused.</summary>
public sealed class RpcTimeoutTests
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";

    [Fact]
    public async Task ProductionRpc_AgentSlowerThanActivityTimeout_Returns504Problem()
    {
        using var app = new KestrelAppFactory();
        app.With("Cutover:Routing:ActivityTimeout", "00:00:00.500");
        app.Started();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await TestBackend.StartAsync("slow", async ctx =>
        {
            // Holds its answer until the test ends; only the timeout can end the call.
            await answered.Task.WaitAsync(TimeSpan.FromSeconds(30), ctx.RequestAborted).ConfigureAwait(false);
        });
        var (agentId, deploymentId) = await new RoutingData(app.Services).RegisterAsync(RoutingData.UniqueName("slow"), slow.Url);
        using var client = app.HttpClient();

        try
        {
            using var response = await client.PostAsync($"/api/agents/{agentId}/rpc", new StringContent(Call, Encoding.UTF8, "application/json"));

            await RpcEndpointsTests.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "did not answer");
            Assert.Equal(deploymentId.ToString(), response.Headers.GetValues(RpcHeaders.Deployment).Single());
        }
        finally
        {
            answered.TrySetResult();
        }
    }

    [Fact]
    public async Task ProductionRpc_HostResolvesToRefusedAddress_Returns502WithoutConnecting()
    {
        using var app = new KestrelAppFactory();
        app.With("Cutover:Routing:UrlSafety:BlockLoopback", "true");
        app.Started();
        await using var backend = await TestBackend.StartAsync("local");
        // Registered by name; "localhost" only becomes a loopback address when the connection is opened.
        var byName = new UriBuilder(backend.Url) { Host = "localhost" }.Uri;
        var (agentId, _) = await new RoutingData(app.Services).RegisterAsync(RoutingData.UniqueName("local"), byName);
        using var client = app.HttpClient();

        using var response = await client.PostAsync($"/api/agents/{agentId}/rpc", new StringContent(Call, Encoding.UTF8, "application/json"));

        await RpcEndpointsTests.AssertProblemAsync(response, HttpStatusCode.BadGateway, "loopback");
        Assert.Empty(backend.Received);
    }
}
