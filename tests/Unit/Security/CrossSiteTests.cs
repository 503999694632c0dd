using System.Net;
using Cutover.Core.Deployments;
using Cutover.Tests.Unit.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>
/// A browser sends the sign-in cookie with a form posted from another site, or another port of this host. A
/// state-changing API call authenticated by that cookie alone must prove it comes from this site (a same-origin
/// Origin or the antiforgery token); bearer calls carry no ambient credential and are not affected.
/// </summary>
public sealed class CrossSiteTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Theory]
    [InlineData("http://localhost:8081")]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task CookiePromote_NotFromThisSite_403AndNothingChanges(string? origin)
    {
        var (client, agentId, target) = await SignedInWithTwoDeploymentsAsync();

        using var response = await client.SendAsync(Promote(agentId, target, origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(target, (await AppSeed.AgentAsync(app.Services, agentId)).ProductionDeploymentId);
    }

    [Fact]
    public async Task CookiePromote_SameOriginHeader_Allowed()
    {
        var (client, agentId, target) = await SignedInWithTwoDeploymentsAsync();

        using var response = await client.SendAsync(Promote(agentId, target, "http://localhost"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(target, (await AppSeed.AgentAsync(app.Services, agentId)).ProductionDeploymentId);
    }

    [Fact]
    public async Task CookiePromote_AntiforgeryTokenWithoutOrigin_Allowed()
    {
        var (client, agentId, target) = await SignedInWithTwoDeploymentsAsync();
        // The token of a page rendered for this user, as the dashboard's own forms carry it.
        var page = await client.GetAsync("/login");
        var token = SignInForm.HiddenFields(await page.Content.ReadAsStringAsync()).First(f => f.Key == "__RequestVerificationToken").Value;
        var request = Promote(agentId, target, origin: null);
        request.Headers.Add("RequestVerificationToken", token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BearerPromote_ForeignOrigin_NotAffected()
    {
        var (_, agentId, target) = await SignedInWithTwoDeploymentsAsync();
        using var admin = app.CreateAdminClient();

        using var response = await admin.SendAsync(Promote(agentId, target, "http://evil.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Promote(Guid agentId, Guid deploymentId, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{agentId}/deployments/{deploymentId}/promote");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    /// <summary>An operator signed in with the cookie, and an agent with a production and a second Ready deployment.</summary>
    private async Task<(HttpClient Client, Guid AgentId, Guid Target)> SignedInWithTwoDeploymentsAsync()
    {
        var name = "x" + Guid.NewGuid().ToString("N")[..10];
        using (var admin = app.CreateAdminClient()) await SecurityApi.CreateUserAsync(admin, name, "Operator");
        var client = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword)).StatusCode);

        var (agentId, _) = await AppSeed.ProductionAgentAsync(app.Services, name);
        var second = Guid.CreateVersion7();
        var registered = await app.Services.GetRequiredService<DeploymentService>().RegisterAsync(
            new RegisterCommand(name, null, "http://127.0.0.1:9/two", second, "example/agent:2", null), "test", default);
        Assert.True(registered.IsSuccess, registered.Failure?.Detail);
        return (client, agentId, second);
    }
}
