using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>
/// API.md "Provisioning runs" over HTTP, against the app with the local runtime off: no image is runnable there, so
/// these tests cover the edge (formats, problems, roles, reads) and the runs with real agents are in
/// <see cref="ProvisioningRunTests"/>.
/// </summary>
public sealed class ProvisioningApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    private readonly HttpClient _admin = app.CreateAdminClient();

    [Fact]
    public async Task Post_BadSpec_400NamingEveryProblemAndNothingWritten()
    {
        var response = await PostJsonAsync("""{"name":"x","agents":[{"name":"a","image":"x/y:1"},{"name":"a","image":"x/y:1"},{"name":"b"}],"maxConcurrent":99}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "agents[1].name", "agents[2].image", "maxConcurrent" }, errors);
        Assert.Contains("appears more than once", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await _admin.GetFromJsonAsync<JsonElement>("/api/provisioning/runs")).GetArrayLength());
    }

    [Fact]
    public async Task Post_ExistingName_409NamingIt_UnknownImageAlongside_400()
    {
        await Seed.ReadyAsync(app.Services.GetRequiredService<Cutover.Core.Deployments.DeploymentService>(), "prov-api-taken");

        var taken = await PostJsonAsync("""{"name":"x","agents":[{"name":"prov-api-taken","image":"x/y:1"}],"dryRun":true}""");
        var problem = await taken.Content.ReadFromJsonAsync<JsonElement>();

        // The runtime is off in this app, so the image is unknown too: the 400 lists both problems.
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.Contains("prov-api-taken", errors.GetProperty("agents[0].name")[0].GetString());
        Assert.Contains("does not run the image", errors.GetProperty("agents[0].image")[0].GetString());
    }

    [Fact]
    public async Task Post_YamlWithProblems_ReadAsYamlAndNamed()
    {
        var response = await _admin.PostAsync("/api/provisioning/runs",
            new StringContent("name: y\nagents:\n  - name: UPPER SPACE\n    image: x/y:1\nonFailure: sometimes\n", Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("agents[0].name", out _));
        Assert.True(errors.TryGetProperty("onFailure", out _));
    }

    [Fact]
    public async Task Post_WrongMediaTypeOrEmpty_415And400()
    {
        var text = await _admin.PostAsync("/api/provisioning/runs", new StringContent("name: y", Encoding.UTF8, "text/plain"));
        var empty = await _admin.PostAsync("/api/provisioning/runs", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Roles_ViewerReadsOnly_AnonymousNothing()
    {
        var viewer = app.CreateClient(await ApiTokens.CreateAsync(app.Services, Role.Viewer));
        var anonymous = app.CreateClient((string?)null);
        const string spec = """{"name":"x","agents":[{"name":"a","image":"x/y:1"}],"dryRun":true}""";

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/provisioning/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/provisioning/runs", new StringContent(spec, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/provisioning/runs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/provisioning/runs")).StatusCode);
    }

    [Fact]
    public async Task GetAndDelete_UnknownOrMalformedId_404And400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/provisioning/runs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/api/provisioning/runs/{Guid.NewGuid()}")).StatusCode);
        var bad = await _admin.GetAsync("/api/provisioning/runs/nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("id", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        _admin.PostAsync("/api/provisioning/runs", new StringContent(json, Encoding.UTF8, "application/json"));
}
