using Cutover.Tests.Unit.Deployments;
using Cutover.Tests.Unit.Runtime;
using Bunit;
using Bunit.TestDoubles;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Runtime;
using Cutover.Dashboard.Components.Runtime;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Components.Agents;
using Cutover.Tests.Unit.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cutover.Tests.Unit.Components.Runtime;

public sealed class DeployDialogTests : BunitTestBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Manual = "cutover/sample-agent:3.0-manual";
    private const string Broken = "cutover/sample-agent:2.1-broken";

    private readonly TestDatabase _db = new();
    private readonly FakeRuntime _runtime;
    private readonly BunitAuthorizationContext _auth;

    public DeployDialogTests()
    {
        _runtime = new FakeRuntime(_db.Deployments);
        _runtime.ImageBehaviour[Manual] = FakeRuntime.Behaviour.Hang;
        _runtime.ImageBehaviour[Broken] = FakeRuntime.Behaviour.ExitBeforeRegistering;
        Context.Services.AddSingleton<IAgentToolsClient>(new AgentToolsClient(null!, _runtime)); // no RPC here: the log only
        // The real seam over the real database and deploy service: the dialog's deploys are real.
        Context.Services.AddSingleton<IDashboardClient>(RealDashboard.Create(_db, DeploymentLauncherTests.Create(_db, _runtime, TimeSpan.FromSeconds(30))));
        _auth = Context.AddAuthorization();
        Context.Services.AddScoped<ActionGuard>();
        Interactive();
    }

    [Fact]
    public async Task Deploy_Operator_ShowsPendingThenReadyLive()
    {
        _auth.SetAuthorized("alice").SetPolicies(Policies.Operator);
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var cut = await OpenAsync(agent.Id, Manual);

        // The click's handler runs until the deploy settles, so it is awaited only after the agent registered.
        var clicking = cut.Find("button:contains('Deploy')").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Pending", Status(cut)), Wait);
        var deployment = await SingleDeploymentAsync(agent.Id);
        await _db.Deployments.RegisterAsync(new RegisterCommand("bot", null, "http://127.0.0.1:9/", deployment.Id, Manual, null), "agent:bot", default);
        await clicking.WaitAsync(Wait);
        cut.WaitForAssertion(() => Assert.Equal("Ready", Status(cut)), Wait);
        Assert.Contains("Ready to promote", cut.Find("[data-testid=deploy-progress]").TextContent);
    }

    [Fact]
    public async Task Deploy_Ready_OffersPromoteNowWhichClosesAskingToPromoteThatDeployment()
    {
        _auth.SetAuthorized("alice").SetPolicies(Policies.Operator);
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var (cut, dialog) = await DialogHost.ShowAsync(Context,
            new DialogParameters<DeployDialog> { { x => x.AgentId, agent.Id }, { x => x.Image, Manual } });

        var clicking = cut.Find("button:contains('Deploy')").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Pending", Status(cut)), Wait);
        Assert.Empty(cut.FindAll("button:contains('Promote now')"));
        var deployment = await SingleDeploymentAsync(agent.Id);
        await _db.Deployments.RegisterAsync(new RegisterCommand("bot", null, "http://127.0.0.1:9/", deployment.Id, Manual, null), "agent:bot", default);
        await clicking.WaitAsync(Wait);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button:contains('Promote now')")), Wait);
        await cut.Find("button:contains('Promote now')").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(Wait);
        Assert.False(result!.Canceled);
        Assert.Equal(deployment.Id, Assert.IsType<PromoteRequested>(result.Data).DeploymentId);
    }

    [Fact]
    public async Task Deploy_ChosenFromTheList_StartsThatImage()
    {
        _auth.SetAuthorized("alice").SetPolicies(Policies.Operator);
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var popovers = Context.Render<MudPopoverProvider>();
        var cut = await OpenAsync(agent.Id, null);

        await cut.Find(".mud-select .mud-input-control").MouseDownAsync(new());
        var items = popovers.WaitForElements(".mud-list-item", Wait);
        Assert.Equal(_runtime.Images, items.Select(i => i.TextContent.Trim()));
        await items.Single(i => i.TextContent.Trim() == "cutover/sample-agent:2.0").ClickAsync(new());
        await cut.Find("button:contains('Deploy')").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Ready", Status(cut)), Wait);
        Assert.Equal("cutover/sample-agent:2.0", (await SingleDeploymentAsync(agent.Id)).DockerImage.Value);
    }

    [Fact]
    public async Task Deploy_ProcessCrashes_ShowsFailedWithTheReason()
    {
        _auth.SetAuthorized("alice").SetPolicies(Policies.Operator);
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var cut = await OpenAsync(agent.Id, Broken);

        await cut.Find("button:contains('Deploy')").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Failed", Status(cut)), Wait);
        Assert.Contains("exited with code 3", cut.Find("[data-testid=deploy-progress]").TextContent);
    }

    [Fact]
    public async Task Deploy_ViewerWithoutOperatorRole_RefusedOnTheServerAndNothingCreated()
    {
        _auth.SetAuthorized("bob");
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var cut = await OpenAsync(agent.Id, Manual);

        await cut.Find("button:contains('Deploy')").ClickAsync(new());

        Assert.Contains("Operator role", cut.Find("[role=alert]").TextContent);
        await using var db = _db.Open();
        Assert.False(await db.Deployments.AnyAsync());
    }

    [Fact]
    public async Task Render_NoRuntimeConfigured_ExplainsAndOffersNoDeploy()
    {
        _auth.SetAuthorized("alice").SetPolicies(Policies.Operator);
        _runtime.IsEnabled = false;
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var cut = await OpenAsync(agent.Id, null);

        Assert.Contains("No deployment runtime is configured", cut.Markup);
        Assert.Empty(cut.FindAll("button:contains('Deploy')"));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(Guid agentId, string? image) =>
        (await DialogHost.ShowAsync(Context, new DialogParameters<DeployDialog> { { x => x.AgentId, agentId }, { x => x.Image, image } })).Provider;

    private static string Status(IRenderedComponent<MudDialogProvider> cut) => cut.Find("[data-testid=deploy-status]").TextContent.Trim();

    private async Task<Deployment> SingleDeploymentAsync(Guid agentId)
    {
        await using var db = _db.Open();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.AgentId == agentId);
    }
}
