using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Pages;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Components.Agents;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>The agent page over a faked seam: live upserts patch it in place; unknown ids say so.</summary>
public sealed class AgentDetailTests : PageTestBase
{
    public AgentDetailTests()
        : base(c => c.AddAuthorization().SetAuthorized("alice").SetPolicies(Policies.Viewer, Policies.Operator)) =>
        // The operator tools under the table talk to routing and the runtime; they have tests of their own.
        Context.ComponentFactories.AddStub<Dashboard.Components.Agents.AgentTools>();

    private readonly Guid _agentId = Guid.NewGuid();
    private readonly DeploymentRow _production = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", ageMinutes: 60);
    private readonly DeploymentRow _ready = Rows.Deployment("3.0.0", commit: "ccccccc333", ageMinutes: 10);

    [Fact]
    public void Open_EmptyGuid_SaysNotFoundInsteadOfLoadingForever()
    {
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, Guid.Empty));

        cut.WaitForAssertion(() => Assert.Contains("Agent not found", cut.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("Loading the agent", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Back to agents", cut.Find("a[href='/']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DeploymentAndEventPublished_PatchedInPlaceWithoutReading()
    {
        Page();
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, _agentId));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("section.deployments-section tbody tr").Count), Wait);
        var added = Rows.Deployment("4.0.0", DeploymentStatus.Pending, commit: "eeeeeee555", ageMinutes: 0);

        await Data.PublishAsync(
            new DeploymentUpserted(added),
            new TimelineEventAdded(new EventRow(Guid.NewGuid(), _agentId, "orders", added.Id, EventKind.Created, "user:ci", null, null, null, Rows.Now, 4)));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("section.deployments-section tbody tr").Count), Wait);
        Assert.Equal("orders:4.0.0 (eeeeeee) created", cut.FindAll("li.timeline-item .timeline-text")[0].TextContent);
        Assert.Equal(1, Data.AgentReads);
    }

    [Fact]
    public void Open_ProductionCard_ShowsItsTrafficFromTheSeam()
    {
        Page();
        Data.Traffic[_production.Id] = new Dashboard.Traffic.TrafficSnapshot(Dashboard.Traffic.TrafficFigures.OneMinute, 25, 5, 0.2, 3.0, 120.0);
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, _agentId));

        cut.WaitForAssertion(() => Assert.Equal("25 req/min · 20.0 % errors · p99 120 ms",
            cut.Find("section.production-card [data-testid=traffic-text]").TextContent.Trim()), Wait);
        // An idle row of the deployments table stays quiet; the production row shows the same figures as the card.
        Assert.Equal("", cut.Find("section.deployments-section tbody tr:not(.row-production) [data-testid=traffic-text]").TextContent.Trim());
        Assert.Equal("25 req/min · 20.0 % errors · p99 120 ms",
            cut.Find("section.deployments-section tbody tr.row-production [data-testid=traffic-text]").TextContent.Trim());
    }

    private void Page()
    {
        var agent = new AgentSummary(_agentId, "orders", null, HealthStatus.Healthy, SyncStatus.Synced, Rows.Now, null, null,
            Rows.Now.AddDays(-1), 3, _production);
        Data.AgentPages[_agentId] = new AgentSnapshot(agent, [_ready, _production], null,
            [new EventRow(Guid.NewGuid(), _agentId, "orders", _production.Id, EventKind.Promoted, "user:ops", null, null, null, Rows.Now.AddMinutes(-5), 3)],
            false);
    }
}
