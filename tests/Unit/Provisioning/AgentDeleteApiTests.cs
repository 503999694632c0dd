using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>API.md <c>DELETE /api/agents/{id}</c>, over HTTP against the app.</summary>
public sealed class AgentDeleteApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    private readonly HttpClient _admin = app.CreateAdminClient();

    private DeploymentService Deployments => app.Services.GetRequiredService<DeploymentService>();

    [Fact]
    public async Task Delete_AgentWithProductionAndPreview_202EveryDeploymentSoftDeletedLeavesListsRpc410()
    {
        var (agent, prod) = await Seed.ReadyAsync(Deployments, "del-api-full");
        var (_, preview) = await Seed.ReadyAsync(Deployments, "del-api-full", "registry.local/agents/demo:2.0");
        var (other, _) = await Seed.ReadyAsync(Deployments, "del-api-other");

        var response = await _admin.DeleteAsync($"/api/agents/{agent.Id}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("deletedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("productionDeploymentId").ValueKind);

        var all = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agent.Id}/deployments?includeDeleted=true");
        Assert.Equal(2, all.GetArrayLength());
        Assert.All(all.EnumerateArray(), d =>
        {
            Assert.NotEqual(JsonValueKind.Null, d.GetProperty("expiresAt").ValueKind);
            Assert.False(d.GetProperty("isProduction").GetBoolean());
        });
        Assert.Contains(all.EnumerateArray(), d => d.GetProperty("id").GetGuid() == prod.Id);
        Assert.Contains(all.EnumerateArray(), d => d.GetProperty("id").GetGuid() == preview.Id);

        var list = await _admin.GetFromJsonAsync<JsonElement>("/api/agents?q=del-api&pageSize=50");
        var names = list.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("del-api-full", names);
        Assert.Contains("del-api-other", names);
        Assert.Equal(1, list.GetProperty("total").GetInt32());

        var rpc = await _admin.PostAsJsonAsync($"/api/agents/{agent.Id}/rpc", new { jsonrpc = "2.0", id = 1, method = "ping" });
        Assert.Equal(HttpStatusCode.Gone, rpc.StatusCode);
        var rpcByName = await _admin.PostAsJsonAsync("/api/agents/by-name/del-api-full/rpc", new { jsonrpc = "2.0", id = 1, method = "ping" });
        Assert.Equal(HttpStatusCode.Gone, rpcByName.StatusCode);

        // The other agent is untouched.
        var untouched = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{other.Id}");
        Assert.Equal(JsonValueKind.Null, untouched.GetProperty("deletedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, untouched.GetProperty("productionDeploymentId").ValueKind);
    }

    [Fact]
    public async Task Delete_Twice_BothAcceptedNameStaysTaken()
    {
        var (agent, _) = await Seed.ReadyAsync(Deployments, "del-api-twice");

        var first = await _admin.DeleteAsync($"/api/agents/{agent.Id}");
        var second = await _admin.DeleteAsync($"/api/agents/{agent.Id}");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var deletedAt = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deletedAt").GetDateTime();
        Assert.Equal(deletedAt, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deletedAt").GetDateTime());

        // The name stays taken: registering it again is refused, and creates no second agent.
        var again = await _admin.PostAsJsonAsync("/api/agents/register", new
        {
            name = "del-api-twice",
            acpUrl = "http://127.0.0.1:9/again",
            registrationMetadata = new { deploymentId = Guid.NewGuid(), dockerImage = "registry.local/agents/demo:3.0" },
        });
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        var deployments = await _admin.PostAsJsonAsync($"/api/agents/{agent.Id}/deployments", new { dockerImage = "registry.local/agents/demo:3.0" });
        Assert.Equal(HttpStatusCode.Gone, deployments.StatusCode);
    }

    [Fact]
    public async Task Delete_UnknownMalformedOrViewer_404_400_403AndNothingDeleted()
    {
        var (agent, _) = await Seed.ReadyAsync(Deployments, "del-api-guarded");
        var viewer = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Viewer));
        var anonymous = app.CreateClient((string?)null);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/api/agents/{Guid.NewGuid()}")).StatusCode);
        var malformed = await _admin.DeleteAsync("/api/agents/not-a-guid");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("id", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/agents/{agent.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/agents/{agent.Id}")).StatusCode);

        var still = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agent.Id}");
        Assert.Equal(JsonValueKind.Null, still.GetProperty("deletedAt").ValueKind);
    }
}
