using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Health;

public sealed class HealthReportApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    [Fact]
    public async Task Post_OwnAgentToken_Returns202AndStoresTheHealth()
    {
        var (agentId, deploymentId) = await AppSeed.ProductionAgentAsync(app.Services, "reporter");
        using var client = app.CreateClient(await AppSeed.AgentTokenAsync(app.Services, "reporter"));

        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/health", new { status = "Healthy", detail = "ready" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(deploymentId.ToString(), body.GetProperty("deploymentId").GetString());
        Assert.Equal("Healthy", body.GetProperty("health").GetString());
        var agent = await AppSeed.AgentAsync(app.Services, agentId);
        Assert.Equal(HealthStatus.Healthy, agent.Health);
        Assert.NotNull(agent.LastSeenAt);
    }

    [Fact]
    public async Task Post_AnotherAgentsToken_Returns403()
    {
        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, "victim");
        await AppSeed.ProductionAgentAsync(app.Services, "intruder");
        using var client = app.CreateClient(await AppSeed.AgentTokenAsync(app.Services, "intruder"));

        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/health", new { status = "Unhealthy" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HealthStatus.Unknown, (await AppSeed.AgentAsync(app.Services, agentId)).Health);
    }

    [Fact]
    public async Task Post_AdminToken_Returns403_OnlyAgentsReportHealth()
    {
        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, "admin-target");
        using var client = app.CreateAdminClient();
        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/health", new { status = "Healthy" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_NoToken_Returns401()
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.PostAsJsonAsync($"/api/agents/{Guid.NewGuid()}/health", new { status = "Healthy" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownAgent_Returns404()
    {
        await AppSeed.ProductionAgentAsync(app.Services, "lonely");
        using var client = app.CreateClient(await AppSeed.AgentTokenAsync(app.Services, "lonely"));
        var response = await client.PostAsJsonAsync($"/api/agents/{Guid.NewGuid()}/health", new { status = "Healthy" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_DeploymentOfAnotherAgent_Returns404()
    {
        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, "own-dep");
        var (_, otherDeployment) = await AppSeed.ProductionAgentAsync(app.Services, "other-dep");
        using var client = app.CreateClient(await AppSeed.AgentTokenAsync(app.Services, "own-dep"));
        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/health", new { status = "Healthy", deploymentId = otherDeployment });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"status\":\"Fine\"}", "status")]
    [InlineData("{\"status\":\"Unknown\"}", "status")]
    [InlineData("{\"status\":1}", "status")]
    [InlineData("{\"detail\":\"no status\"}", "status")]
    [InlineData("{\"status\":\"Healthy\",\"deploymentId\":\"nope\"}", "deploymentId")]
    [InlineData("{\"status\":\"Healthy\",\"detail\":42}", "detail")]
    [InlineData("{\"status\":", "body")]
    [InlineData("[\"Healthy\"]", "body")]
    public async Task Post_BadBody_Returns400NamingTheField(string json, string field)
    {
        var name = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, name);
        using var client = app.CreateClient(await AppSeed.AgentTokenAsync(app.Services, name));

        var response = await client.PostAsync($"/api/agents/{agentId}/health", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
