using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Api;

/// <summary>The API extensions the CLI uses: /api/me, a deployment's output, the rollback target.</summary>
public sealed class CliSupportApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    private DeploymentService Deployments => app.Services.GetRequiredService<DeploymentService>();

    [Fact]
    public async Task Me_NamesTheTokenAndItsHighestRole()
    {
        using var admin = app.CreateAdminClient();
        using var viewer = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Viewer));

        var a = await admin.GetFromJsonAsync<JsonElement>("/api/me");
        var v = await viewer.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("bootstrap", a.GetProperty("name").GetString());
        Assert.Equal("token", a.GetProperty("kind").GetString());
        Assert.Equal("Admin", a.GetProperty("role").GetString());
        Assert.Equal("token:bootstrap", a.GetProperty("actor").GetString());
        Assert.Equal("Viewer", v.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Me_AgentTokenOrNoToken_Refused()
    {
        using var agent = app.CreateClient(await ApiTokens.CreateAsync(app.Services, null, agentName: "me-bot"));
        using var anonymous = app.CreateClient(bearerToken: null);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Output_OfAnotherAgentsDeployment_Is404_OfItsOwnIsUnknownWhenNotRunHere()
    {
        var (mine, myDeployment) = await Seed.ReadyAsync(Deployments, "out-mine");
        var (_, theirs) = await Seed.ReadyAsync(Deployments, "out-theirs");
        using var client = app.CreateAdminClient();

        var other = await client.GetAsync($"/api/agents/{mine.Id}/deployments/{theirs.Id}/output");
        var own = await client.GetFromJsonAsync<JsonElement>($"/api/agents/{mine.Id}/deployments/{myDeployment.Id}/output");
        var badId = await client.GetAsync($"/api/agents/{mine.Id}/deployments/not-a-guid/output");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("Unknown", own.GetProperty("status").GetString());
        Assert.Equal(0, own.GetProperty("lines").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("deploymentId", await badId.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RollbackTarget_IsWhatARollbackWithoutTargetReturnsTo()
    {
        var (agent, first) = await Seed.ReadyAsync(Deployments, "rt-agent", "registry.local/rt:1.0");
        using var client = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/agents/{agent.Id}/rollback/target")).StatusCode);

        var (_, second) = await Seed.ReadyAsync(Deployments, "rt-agent", "registry.local/rt:2.0");
        Assert.True((await Deployments.PromoteAsync(agent.Id, second.Id, null, "test", CancellationToken.None)).IsSuccess);

        var target = await client.GetFromJsonAsync<JsonElement>($"/api/agents/{agent.Id}/rollback/target");
        Assert.Equal(first.Id, target.GetProperty("id").GetGuid());
        var rollback = await client.PostAsJsonAsync($"/api/agents/{agent.Id}/rollback", new { });
        Assert.Equal(first.Id, (await rollback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }
}
