using System.Net;
using System.Net.Http.Json;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Security;

/// <summary>Who may call what, over HTTP against the running app: 401 without identity, 403 with the wrong one.</summary>
public sealed class AuthorizationTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Theory]
    [InlineData("GET", "/api/tokens")]
    [InlineData("POST", "/api/tokens")]
    [InlineData("GET", "/api/users")]
    [InlineData("POST", "/api/users")]
    [InlineData("DELETE", "/api/users/7d0b7a52-8a1c-4c7e-9d55-3f0d9e1c2a10")]
    public async Task AdminApi_Anonymous_Returns401(string method, string path)
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignIn()
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersApi_ViewerToken_Returns403()
    {
        using var admin = app.CreateAdminClient();
        var (_, viewer) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        using var client = app.CreateClient(viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/tokens")).StatusCode);
        // The viewer token is valid: a viewer page answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/system")).StatusCode);
    }

    [Fact]
    public async Task TokensApi_OperatorToken_Returns403()
    {
        using var admin = app.CreateAdminClient();
        var (_, op) = await SecurityApi.CreatePersonalTokenAsync(admin, "Operator");
        using var client = app.CreateClient(op);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/tokens")).StatusCode);
        var create = await client.PostAsJsonAsync("/api/tokens", new { name = "escalate", kind = "personal", role = "Admin" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/users",
            new { userName = "sneaky", password = SecurityApi.GoodPassword, role = "Admin" })).StatusCode);
    }

    [Fact]
    public async Task AdminToken_AdminApi_Returns200()
    {
        using var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task RevokedToken_NextRequest_Returns401()
    {
        using var admin = app.CreateAdminClient();
        var (id, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Admin");
        using var client = app.CreateClient(text);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tokens")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_AfterExpiry_Returns401()
    {
        using var admin = app.CreateAdminClient();
        var (_, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Admin", app.Clock.GetUtcNow().AddHours(1));
        using var client = app.CreateClient(text);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tokens")).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task UnknownToken_Returns401()
    {
        using var client = app.CreateClient("cut_pat_" + new string('x', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tokens")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/tokens")]
    [InlineData("POST", "/api/tokens")]
    [InlineData("GET", "/api/users")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/system")]
    [InlineData("GET", "/tokens")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    public async Task AgentToken_NonAgentEndpoint_Returns403(string method, string path)
    {
        using var admin = app.CreateAdminClient();
        var (_, agent) = await SecurityApi.CreateAgentTokenAsync(admin, "search-bot");
        using var client = app.CreateClient(agent);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
