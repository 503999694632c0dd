using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Api;

/// <summary>API.md's Agents and Deployments rows, over HTTP against the app.</summary>
public sealed class DeploymentsApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    private readonly HttpClient _admin = app.CreateAdminClient();

    [Fact]
    public async Task Register_DeploymentScoped_ReturnsAgentWithDeploymentIdAndProduction()
    {
        var (agent, depId) = await RegisterAsync("api-first");
        Assert.Equal(depId, agent.GetProperty("deploymentId").GetGuid());
        Assert.Equal(depId, agent.GetProperty("productionDeploymentId").GetGuid());
        Assert.Equal("Unknown", agent.GetProperty("health").GetString());

        var byName = await _admin.GetFromJsonAsync<JsonElement>("/api/agents/by-name/api-first");
        Assert.Equal(agent.GetProperty("id").GetGuid(), byName.GetProperty("id").GetGuid());
        var dep = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{agent.GetProperty("id")}/deployments/{depId}");
        Assert.Equal("Ready", dep.GetProperty("status").GetString());
        Assert.True(dep.GetProperty("isProduction").GetBoolean());
        Assert.Equal("main", dep.GetProperty("registrationMetadata").GetProperty("branch").GetString());
    }

    [Fact]
    public async Task Register_SameNameConcurrently_OneAgentEveryCaller200()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _admin.PostAsJsonAsync("/api/agents/register", Body("api-race", Guid.NewGuid()))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        var deployments = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{ids[0]}/deployments");
        Assert.Equal(1, deployments.EnumerateArray().Count(d => d.GetProperty("isProduction").GetBoolean()));
    }

    [Fact]
    public async Task Promote_Rollback_Delete_FollowTheRules()
    {
        var (agent, v1) = await RegisterAsync("api-flow");
        var id = agent.GetProperty("id").GetGuid();
        var (_, v2) = await RegisterAsync("api-flow", "registry.local/flow:2");

        var promote = await _admin.PostAsJsonAsync($"/api/agents/{id}/deployments/{v2}/promote", new { reason = "ship v2" });
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.True((await promote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isProduction").GetBoolean());

        var again = await _admin.PostAsync($"/api/agents/{id}/deployments/{v2}/promote", null); // no body: no-op 200
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var deleteProd = await _admin.DeleteAsync($"/api/agents/{id}/deployments/{v2}");
        await AssertProblemAsync(deleteProd, HttpStatusCode.Conflict);

        var rollback = await _admin.PostAsJsonAsync($"/api/agents/{id}/rollback", new { reason = "v2 broke" });
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(v1, (await rollback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/agents/{id}/deployments/{v2}")).StatusCode);
        var listed = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/deployments");
        Assert.DoesNotContain(listed.EnumerateArray(), d => d.GetProperty("id").GetGuid() == v2);
        var withDeleted = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/deployments?includeDeleted=true");
        Assert.Contains(withDeleted.EnumerateArray(), d => d.GetProperty("id").GetGuid() == v2 && d.GetProperty("expiresAt").ValueKind == JsonValueKind.String);

        await AssertProblemAsync(await _admin.PostAsync($"/api/agents/{id}/deployments/{v2}/promote", null), HttpStatusCode.Conflict);

        var events = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/events");
        var kinds = events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("Promoted", kinds);
        Assert.Contains("RolledBack", kinds);
        Assert.Contains("Deleted", kinds);
        var rolledBack = events.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "RolledBack");
        Assert.Equal("v2 broke", rolledBack.GetProperty("reason").GetString());
        Assert.Equal("token:bootstrap", rolledBack.GetProperty("actor").GetString());
        var seqs = events.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(seqs.OrderBy(s => s), seqs);
        var tail = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/events?afterSequence={seqs[^2]}");
        Assert.Single(tail.EnumerateArray().ToList());
    }

    [Fact]
    public async Task Create_PendingDeployment_NotPromotable()
    {
        var (agent, _) = await RegisterAsync("api-create");
        var id = agent.GetProperty("id").GetGuid();
        var created = await _admin.PostAsJsonAsync($"/api/agents/{id}/deployments", new { dockerImage = "registry.local/create:9", registrationMetadata = new { commitHash = "0123456789" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dep = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", dep.GetProperty("status").GetString());
        Assert.NotNull(created.Headers.Location);
        await AssertProblemAsync(await _admin.PostAsync($"/api/agents/{id}/deployments/{dep.GetProperty("id")}/promote", null), HttpStatusCode.Conflict);

        var list = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/deployments");
        Assert.Equal(dep.GetProperty("id").GetGuid(), list[0].GetProperty("id").GetGuid()); // newest first
    }

    [Fact]
    public async Task AnotherAgentsDeployment_NotFoundEverywhere()
    {
        var (a, _) = await RegisterAsync("api-owner-a");
        var (_, depB) = await RegisterAsync("api-owner-b");
        var idA = a.GetProperty("id").GetGuid();
        await AssertProblemAsync(await _admin.GetAsync($"/api/agents/{idA}/deployments/{depB}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.PostAsync($"/api/agents/{idA}/deployments/{depB}/promote", null), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.DeleteAsync($"/api/agents/{idA}/deployments/{depB}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _admin.GetAsync($"/api/agents/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"name\":\"bad\",", "body")]
    [InlineData("{\"name\":42,\"acpUrl\":\"http://127.0.0.1:9\"}", "name")]
    [InlineData("{\"name\":\"\",\"acpUrl\":\"http://127.0.0.1:9\"}", "name")]
    [InlineData("{\"name\":\"has space\",\"acpUrl\":\"http://127.0.0.1:9\"}", "name")]
    [InlineData("{\"name\":\"ok\",\"acpUrl\":\"ftp://127.0.0.1:9\"}", "acpUrl")]
    [InlineData("{\"name\":\"ok\",\"acpUrl\":\"http://169.254.169.254/\"}", "acpUrl")]
    [InlineData("{\"name\":\"ok\",\"acpUrl\":\"http://127.0.0.1:9\",\"registrationMetadata\":{\"deploymentId\":\"nope\"}}", "registrationMetadata.deploymentId")]
    [InlineData("{\"name\":\"ok\",\"acpUrl\":\"http://127.0.0.1:9\",\"registrationMetadata\":{\"deploymentId\":\"6d1c7f3e-8d8e-4c55-9a51-7a3f0c2a1b00\",\"dockerImage\":\"Not An Image\"}}", "registrationMetadata.dockerImage")]
    [InlineData("{\"name\":\"ok\",\"acpUrl\":\"http://127.0.0.1:9\",\"registrationMetadata\":[1,2]}", "registrationMetadata")]
    public async Task Register_BadInput_400NamingFieldAndNothingWritten(string json, string field)
    {
        var response = await _admin.PostAsync("/api/agents/register", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var missing = await _admin.GetAsync("/api/agents/by-name/ok");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Register_OverlongName_400()
    {
        var response = await _admin.PostAsJsonAsync("/api/agents/register", new { name = new string('a', 101), acpUrl = "http://127.0.0.1:9" });
        Assert.Equal("name", (await AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/agents/not-a-guid", "id")]
    [InlineData("/api/agents/not-a-guid/deployments", "id")]
    [InlineData("/api/agents/00000000-0000-0000-0000-000000000001/deployments/zzz", "deploymentId")]
    [InlineData("/api/agents?health=Sparkly", "health")]
    [InlineData("/api/agents?sync=1", "sync")]
    [InlineData("/api/agents?pageSize=0", "pageSize")]
    [InlineData("/api/agents?page=abc", "page")]
    [InlineData("/api/agents/00000000-0000-0000-0000-000000000001/events?afterSequence=x", "afterSequence")]
    [InlineData("/api/agents/00000000-0000-0000-0000-000000000001/deployments?includeDeleted=maybe", "includeDeleted")]
    public async Task Get_BadParameters_400NamingField(string url, string field)
    {
        var problem = await AssertProblemAsync(await _admin.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Create_BadBodies_400NamingField()
    {
        var (agent, _) = await RegisterAsync("api-badcreate");
        var url = $"/api/agents/{agent.GetProperty("id")}/deployments";
        var noImage = await AssertProblemAsync(await _admin.PostAsJsonAsync(url, new { }), HttpStatusCode.BadRequest);
        Assert.Equal("dockerImage", noImage.GetProperty("field").GetString());
        var rollbackBadId = await _admin.PostAsync($"/api/agents/{agent.GetProperty("id")}/rollback",
            new StringContent("{\"toDeploymentId\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal("toDeploymentId", (await AssertProblemAsync(rollbackBadId, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        var longReason = await _admin.PostAsJsonAsync($"/api/agents/{agent.GetProperty("id")}/rollback", new { reason = new string('r', 1001) });
        Assert.Equal("reason", (await AssertProblemAsync(longReason, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task List_PagesFiltersAndSearches()
    {
        for (var i = 0; i < 5; i++) await RegisterAsync($"list-agent-{i}");
        var page = await _admin.GetFromJsonAsync<JsonElement>("/api/agents?q=LIST-AGENT&pageSize=2&page=2");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(new[] { "list-agent-2", "list-agent-3" }, page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToArray());
        var unknown = await _admin.GetFromJsonAsync<JsonElement>("/api/agents?q=list-agent&health=Unknown&sync=unknown");
        Assert.Equal(5, unknown.GetProperty("total").GetInt32());
        var healthy = await _admin.GetFromJsonAsync<JsonElement>("/api/agents?q=list-agent&health=Healthy");
        Assert.Equal(0, healthy.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AgentToken_RegistersOnlyItsOwnAgentAndNothingElse()
    {
        var token = await ApiTokens.CreateAsync(app.Services, null, agentName: "api-bound");
        using var agentClient = app.CreateClient(token);
        var own = await agentClient.PostAsJsonAsync("/api/agents/register", Body("api-bound", Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.PostAsJsonAsync("/api/agents/register", Body("api-other", Guid.NewGuid()))).StatusCode);
        var id = (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id");
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.GetAsync($"/api/agents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.PostAsync($"/api/agents/{id}/rollback", null)).StatusCode);
    }

    [Fact]
    public async Task Viewer_ReadsButCannotChange()
    {
        var (agent, dep) = await RegisterAsync("api-viewer");
        using var viewer = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/agents/{agent.GetProperty("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/agents/{agent.GetProperty("id")}/deployments/{dep}/promote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/agents/{agent.GetProperty("id")}/deployments/{dep}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/agents/register", Body("api-viewer", Guid.NewGuid()))).StatusCode);
        using var anonymous = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/agents")).StatusCode);
    }

    [Fact]
    public async Task PromoteAndRollback_StaleExpectedProduction_409NamingCurrent()
    {
        var (agent, v1) = await RegisterAsync("api-stale");
        var id = agent.GetProperty("id").GetGuid();
        var (_, v2) = await RegisterAsync("api-stale");
        var (_, v3) = await RegisterAsync("api-stale");
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"/api/agents/{id}/deployments/{v2}/promote", null)).StatusCode);

        var promote = await _admin.PostAsJsonAsync($"/api/agents/{id}/deployments/{v3}/promote", new { expectedProductionDeploymentId = v1 });
        var problem = await AssertProblemAsync(promote, HttpStatusCode.Conflict);
        Assert.Equal(v2, problem.GetProperty("currentProductionDeploymentId").GetGuid());
        Assert.Equal("expectedProductionDeploymentId", problem.GetProperty("field").GetString());
        var rollback = await _admin.PostAsJsonAsync($"/api/agents/{id}/rollback", new { expectedProductionDeploymentId = v1 });
        Assert.Equal(v2, (await AssertProblemAsync(rollback, HttpStatusCode.Conflict)).GetProperty("currentProductionDeploymentId").GetGuid());
        Assert.Equal(v2, (await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}")).GetProperty("productionDeploymentId").GetGuid());

        var fresh = await _admin.PostAsJsonAsync($"/api/agents/{id}/deployments/{v3}/promote", new { expectedProductionDeploymentId = v2 });
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var back = await _admin.PostAsJsonAsync($"/api/agents/{id}/rollback", new { expectedProductionDeploymentId = v3, toDeploymentId = v1 });
        Assert.Equal(v1, (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        var badType = await _admin.PostAsync($"/api/agents/{id}/rollback",
            new StringContent("{\"expectedProductionDeploymentId\":\"nope\"}", Encoding.UTF8, "application/json"));
        Assert.Equal("expectedProductionDeploymentId", (await AssertProblemAsync(badType, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Promote_32ConcurrentOverHttp_No5xxAndOneProduction()
    {
        var (agent, _) = await RegisterAsync("api-storm");
        var id = agent.GetProperty("id").GetGuid();
        var candidates = new List<Guid>();
        for (var i = 0; i < 6; i++) candidates.Add((await RegisterAsync("api-storm")).DeploymentId);
        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
                _admin.PostAsync($"/api/agents/{id}/deployments/{candidates[(i + round) % candidates.Count]}/promote", null)));
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
            var deployments = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/deployments");
            var production = deployments.EnumerateArray().Where(d => d.GetProperty("isProduction").GetBoolean()).ToList();
            Assert.Single(production);
            var a = await _admin.GetFromJsonAsync<JsonElement>($"/api/agents/{id}");
            Assert.Equal(production[0].GetProperty("id").GetGuid(), a.GetProperty("productionDeploymentId").GetGuid());
        }
    }

    private static object Body(string name, Guid deploymentId, string image = "registry.local/agents/api:1") => new
    {
        name,
        acpUrl = $"http://127.0.0.1:9/{name}",
        registrationMetadata = new { deploymentId, dockerImage = image, commitHash = "0123456789abcdef", branch = "main", authorName = "Ada" },
    };

    private async Task<(JsonElement Agent, Guid DeploymentId)> RegisterAsync(string name, string image = "registry.local/agents/api:1")
    {
        var depId = Guid.NewGuid();
        var response = await _admin.PostAsJsonAsync("/api/agents/register", Body(name, depId, image));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), depId);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }
}
