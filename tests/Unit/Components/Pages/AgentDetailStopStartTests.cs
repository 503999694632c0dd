using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Pages;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Components.Agents;
using MudBlazor;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>The agent page's Stop (confirmed first) and Start, through the seam, and the row following a live stop.</summary>
public sealed class AgentDetailStopStartTests : PageTestBase
{
    private readonly Guid _agentId = Guid.NewGuid();
    private readonly DeploymentRow _production = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222", ageMinutes: 60);
    private readonly DeploymentRow _ready = Rows.Deployment("3.0.0", commit: "ccccccc333", ageMinutes: 10);

    public AgentDetailStopStartTests()
        : base(c => c.AddAuthorization().SetAuthorized("alice").SetPolicies(Policies.Viewer, Policies.Operator)) =>
        Context.ComponentFactories.AddStub<Dashboard.Components.Agents.AgentTools>();

    [Fact]
    public void Stop_ConfirmedWithAReason_SentThroughTheSeam()
    {
        Page();
        var dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, _agentId));
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']"), Wait);

        cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("preview route answers 409", dialogs.Markup, StringComparison.Ordinal), Wait);
        dialogs.Find("textarea").Change("done testing");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stop").Click();

        cut.WaitForAssertion(() => Assert.Contains(("stop", _agentId, _ready.Id, "done testing"), Data.Actions), Wait);
    }

    [Fact]
    public void Stop_Cancelled_NothingSent()
    {
        Page();
        var dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, _agentId));
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']"), Wait);

        cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click(), Wait);

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("preview route answers 409", dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(Data.Actions);
    }

    [Fact]
    public async Task Start_OnAStoppedRowPublishedLive_SentWithoutAQuestion()
    {
        Page();
        var cut = Context.Render<AgentDetail>(p => p.Add(x => x.Id, _agentId));
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Stop orders:3.0.0 (ccccccc)']"), Wait);

        await Data.PublishAsync(new DeploymentUpserted(_ready with { Status = DeploymentStatus.Stopped, StatusDetail = "by user:bob", StatusChangedAt = Rows.Now }));
        cut.WaitForAssertion(() => Assert.Equal("stopped (by user:bob) · just now", cut.Find("[data-testid=stopped-note]").TextContent.Trim()), Wait);
        Assert.Empty(cut.FindAll("button[aria-label='Stop orders:3.0.0 (ccccccc)']"));
        cut.Find("button[aria-label='Start orders:3.0.0 (ccccccc)']").Click();

        cut.WaitForAssertion(() => Assert.Contains(("start", _agentId, _ready.Id, (string?)null), Data.Actions), Wait);
    }

    private void Page()
    {
        Data.RuntimeImages.AddRange([_production.Image, _ready.Image]);
        var agent = new AgentSummary(_agentId, "orders", null, HealthStatus.Healthy, SyncStatus.Synced, Rows.Now, null, null,
            Rows.Now.AddDays(-1), 3, _production);
        Data.AgentPages[_agentId] = new AgentSnapshot(agent, [_ready, _production], null, [], false);
    }
}
