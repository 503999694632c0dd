using Cutover.Tests.Unit.Routing;
using System.Security.Claims;
using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Dashboard.Components.Routing;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Routing;

/// <summary>The "Try it" panel against a real database, the real routing services and a real backend on loopback.</summary>
public sealed class TryItPanelTests : BunitTestBase, IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly SwitchableUser _user = new();
    private TestBackend _backend = default!;

    public TryItPanelTests()
    {
        var services = Context.Services;
        services.AddSingleton(_db.Factory);
        services.AddSingleton(_db.Bus);
        services.AddOptions();
        services.AddSingleton<UrlSafety>();
        services.AddSingleton<ForwardingInvoker>();
        services.AddSingleton<RouteResolver>();
        services.AddSingleton<RpcClient>();
        services.AddSingleton<IDeploymentRuntime, DisabledRuntime>();
        services.AddScoped<IAgentToolsClient, AgentToolsClient>();
        // The app's Operator policy, as SecurityExtensions defines it.
        services.AddLogging();
        services.AddAuthorizationCore(o => o.AddPolicy(Policies.Operator, p => p.RequireRole(nameof(Role.Operator))));
        // bunit registers placeholders that refuse to decide; the real evaluator replaces them.
        services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        services.AddSingleton<AuthenticationStateProvider>(_user);
        services.AddScoped<ActionGuard>();
        Interactive();
    }

    public async Task InitializeAsync() => _backend = await TestBackend.StartAsync("blue");

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _backend.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task Send_AsOperator_ShowsAgentAnswerStatusAndServingDeployment()
    {
        var (agentId, deploymentId) = await RegisterAsync(_backend.Url);
        _user.Roles = [nameof(Role.Viewer), nameof(Role.Operator)];
        var panel = Context.Render<TryItPanel>(p => p.Add(x => x.AgentId, agentId));

        Assert.Contains("message/send", panel.Find("textarea").GetAttribute("value") ?? panel.Find("textarea").TextContent);
        panel.FindAll("button").Single(b => b.TextContent.Contains("Send")).Click();

        panel.WaitForAssertion(() => Assert.Equal("200 from agent", panel.Find("[data-testid=try-it-status]").TextContent.Trim()),
            TimeSpan.FromSeconds(20));
        Assert.Equal(deploymentId.ToString(), panel.Find("[data-testid=try-it-served-by]").TextContent);
        Assert.Contains("\"backend\":\"blue\"", panel.Find("[data-testid=try-it-body]").TextContent);
        Assert.EndsWith("ms", panel.Find("[data-testid=try-it-time]").TextContent);
        var received = Assert.Single(_backend.Received);
        Assert.Equal("application/json; charset=utf-8", received["Content-Type"].ToString());
    }

    [Fact]
    public async Task Send_RoleRevokedAfterRender_RefusedOnServerAndNothingSent()
    {
        var (agentId, _) = await RegisterAsync(_backend.Url);
        _user.Roles = [nameof(Role.Operator)];
        var panel = Context.Render<TryItPanel>(p => p.Add(x => x.AgentId, agentId));
        var send = panel.FindAll("button").Single(b => b.TextContent.Contains("Send"));
        Assert.False(send.HasAttribute("disabled"));

        _user.Roles = [nameof(Role.Viewer)];
        send.Click();

        panel.WaitForAssertion(() => Assert.Contains(panel.FindAll("[role=alert]"), e => e.TextContent.Contains("not allowed")));
        Assert.Empty(panel.FindAll("[data-testid=try-it-status]"));
        Assert.Empty(_backend.Received);
    }

    [Fact]
    public async Task Render_AsViewer_SendDisabledWithExplanation()
    {
        var (agentId, _) = await RegisterAsync(_backend.Url);
        _user.Roles = [nameof(Role.Viewer)];

        var panel = Context.Render<TryItPanel>(p => p.Add(x => x.AgentId, agentId));

        Assert.Contains("Only operators", panel.Markup);
        Assert.True(panel.FindAll("button").Single(b => b.TextContent.Contains("Send")).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Send_PreviewOfPendingDeployment_ShowsCutoversRefusal()
    {
        var (agentId, _) = await RegisterAsync(_backend.Url);
        Assert.True(DockerImage.TryParse(RoutingData.Image, out var image, out _));
        var pending = (await _db.Deployments.CreateAsync(agentId, image, null, "test", CancellationToken.None)).Value!;
        _user.Roles = [nameof(Role.Operator)];
        var panel = Context.Render<TryItPanel>(p => p.Add(x => x.AgentId, agentId).Add(x => x.DeploymentId, pending.Id));

        panel.FindAll("button").Single(b => b.TextContent.Contains("Send")).Click();

        panel.WaitForAssertion(() => Assert.Equal("409 from Cutover", panel.Find("[data-testid=try-it-status]").TextContent.Trim()),
            TimeSpan.FromSeconds(20));
        Assert.Contains("not Ready", panel.Find("[data-testid=try-it-body]").TextContent);
        Assert.Empty(_backend.Received);
    }

    private async Task<(Guid AgentId, Guid DeploymentId)> RegisterAsync(Uri url)
    {
        var id = Guid.CreateVersion7();
        var outcome = await _db.Deployments.RegisterAsync(
            new Cutover.Core.Deployments.RegisterCommand(RoutingData.UniqueName("try"), null, url.ToString(), id, RoutingData.Image, null),
            "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return (outcome.Value!.Agent.Id, id);
    }

    /// <summary>A signed-in user whose roles the test changes; each read sees the current roles.</summary>
    private sealed class SwitchableUser : AuthenticationStateProvider
    {
        public string[] Roles { get; set; } = [];

        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, "tester") };
            claims.AddRange(Roles.Select(r => new Claim(ClaimTypes.Role, r)));
            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
        }
    }
}
