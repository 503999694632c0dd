using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Agents;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Components.Agents;

public sealed class DeploymentTimelineTests : BunitTestBase
{
    public DeploymentTimelineTests() => Interactive();

    [Fact]
    public void Render_Events_ListsThemInOrderWithActorReasonAndDeploymentNames()
    {
        var d1 = Rows.Deployment("1.0.0", commit: "aaaaaaa111");
        var d2 = Rows.Deployment("2.0.0", commit: "bbbbbbb222");
        EventRow[] events =
        [
            Rows.Event(EventKind.RolledBack, 6, d1.Id, "user:alice", "Error rate doubled"),
            Rows.Event(EventKind.Demoted, 5, d2.Id, "user:alice"),
            Rows.Event(EventKind.Promoted, 4, d2.Id, "token:ci", "Release 2"),
            Rows.Event(EventKind.SyncChanged, 3, null, "system", null, "Synced", "OutOfSync"),
            Rows.Event(EventKind.HealthChanged, 2, null, "system", null, "Unknown", "Healthy"),
            Rows.Event(EventKind.Deleted, 1, Guid.Parse("00000000-0000-0000-0000-0000deadbeef"), "user:bob"),
        ];

        var cut = Render(events, d1, d2);

        var items = cut.FindAll("li.timeline-item");
        Assert.Equal(
            [
                "Rolled back to orders:1.0.0 (aaaaaaa)",
                "orders:2.0.0 (bbbbbbb) promoted to production",
                "Sync Synced → Out of sync",
                "Health Unknown → Healthy",
                "deployment deadbeef deleted",
            ],
            items.Select(i => i.QuerySelector(".timeline-text")!.TextContent));
        Assert.Equal("user:alice", items[0].QuerySelector(".actor")!.TextContent);
        Assert.Equal("“Error rate doubled”", items[0].QuerySelector(".reason")!.TextContent);
        Assert.Contains("tone-warn", items[0].ClassName);
        Assert.Contains("tone-primary", items[1].ClassName);
        Assert.Equal(Rows.Now.AddMinutes(-6).ToString("O"), items[0].QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public void Render_NoEvents_ShowsTheEmptyState()
    {
        var cut = Render([]);

        Assert.Empty(cut.FindAll("li.timeline-item"));
        Assert.Contains("No events yet", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowOlder_Clicked_AsksForMore()
    {
        var asked = 0;
        var cut = Context.Render<DeploymentTimeline>(p => p
            .Add(x => x.Events, [Rows.Event(EventKind.Created, 1)])
            .Add(x => x.Now, Rows.Now)
            .Add(x => x.HasMore, true)
            .Add(x => x.OnLoadMore, () => asked++));

        cut.Find("button").Click();

        Assert.Equal(1, asked);
    }

    private IRenderedComponent<DeploymentTimeline> Render(IReadOnlyList<EventRow> events, params DeploymentRow[] deployments) =>
        Context.Render<DeploymentTimeline>(p => p
            .Add(x => x.Events, events)
            .Add(x => x.Deployments, deployments.ToDictionary(d => d.Id))
            .Add(x => x.Now, Rows.Now));
}
