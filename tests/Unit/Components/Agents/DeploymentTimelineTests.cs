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

        cut.Find("button.timeline-more").Click();

        Assert.Equal(1, asked);
    }

    [Fact]
    public void Render_ProductionHealthFlaps_OneRowWithTheCountInsteadOfTwoPerFlap()
    {
        var prod = Rows.Deployment("2.0.0", production: true, commit: "bbbbbbb222");
        var events = new List<EventRow> { Rows.Event(EventKind.Promoted, 100, prod.Id, "user:alice", "Release 2") };
        // Seven changes, each written twice as the chokepoint does: the deployment's health, then the agent's.
        var state = "Healthy";
        for (var i = 1; i <= 7; i++)
        {
            var next = state == "Healthy" ? "Unhealthy" : "Healthy";
            var at = Rows.Now.AddMinutes(-100 + i);
            events.Add(Rows.Event(EventKind.HealthChanged, 200 + 2 * i, prod.Id, "system", null, state, next) with { At = at });
            events.Add(Rows.Event(EventKind.HealthChanged, 201 + 2 * i, null, "system", null, state, next) with { At = at });
            state = next;
        }

        var cut = Render(events.OrderByDescending(e => e.Sequence).ToList(), prod);

        var items = cut.FindAll("ol.timeline > li.timeline-item");
        Assert.Equal(
            ["Health flapped 7× · Unhealthy ↔ Healthy", "orders:2.0.0 (bbbbbbb) promoted to production"],
            items.Select(i => i.QuerySelector(".timeline-text")!.TextContent));
        Assert.Contains("tone-bad", items[0].ClassName);
        Assert.Equal(7, items[0].QuerySelectorAll(".timeline-flap-list li").Length);
    }

    [Fact]
    public void Render_OneHealthChange_OneRowNotTheAgentAndTheDeploymentTwice()
    {
        var prod = Rows.Deployment("2.0.0", production: true);
        var deployment = Rows.Event(EventKind.HealthChanged, 2, prod.Id, "system", null, "Unknown", "Healthy");
        var agent = Rows.Event(EventKind.HealthChanged, 3, null, "system", null, "Unknown", "Healthy") with { At = deployment.At };

        var cut = Render([agent, deployment, Rows.Event(EventKind.Ready, 1, prod.Id)], prod);

        Assert.Equal(["Health Unknown → Healthy", "orders:2.0.0 (0123456) is ready"],
            cut.FindAll("ol.timeline > li.timeline-item").Select(i => i.QuerySelector(".timeline-text")!.TextContent));
    }

    [Fact]
    public void Render_HealthChangesApart_AnotherEventBetweenKeepsThemApart()
    {
        var preview = Rows.Deployment("3.0.0");
        EventRow[] events =
        [
            Rows.Event(EventKind.HealthChanged, 4, preview.Id, "system", null, "Unhealthy", "Healthy"),
            Rows.Event(EventKind.HealthChanged, 3, preview.Id, "system", null, "Healthy", "Unhealthy"),
            Rows.Event(EventKind.Created, 2, preview.Id),
            Rows.Event(EventKind.HealthChanged, 1, null, "system", null, "Unknown", "Healthy"),
        ];

        var cut = Render(events, preview);

        Assert.Equal(
            ["orders:3.0.0 (0123456) health flapped 2× · Healthy ↔ Unhealthy", "orders:3.0.0 (0123456) created", "Health Unknown → Healthy"],
            cut.FindAll("ol.timeline > li.timeline-item").Select(i => i.QuerySelector(".timeline-text")!.TextContent));
    }

    [Fact]
    public async Task KindFilter_Picked_ShowsOnlyThatKindAndAllBringsEverythingBack()
    {
        var d = Rows.Deployment("2.0.0");
        EventRow[] events =
        [
            Rows.Event(EventKind.SyncChanged, 4, null, "system", null, "Synced", "OutOfSync"),
            Rows.Event(EventKind.Promoted, 3, d.Id),
            Rows.Event(EventKind.HealthChanged, 2, null, "system", null, "Unknown", "Healthy"),
            Rows.Event(EventKind.Created, 1, d.Id),
        ];
        var cut = Render(events, d);

        await cut.Find(".timeline-filter .mud-chip[data-kind=Production]").ClickAsync(new());

        Assert.Equal(["orders:2.0.0 (0123456) promoted to production"], Texts(cut));
        Assert.Equal("true", cut.Find(".timeline-filter .mud-chip[data-kind=Production]").GetAttribute("aria-pressed"));

        await cut.Find(".timeline-filter .mud-chip[data-kind=Sync]").ClickAsync(new());
        Assert.Equal(["Sync Synced → Out of sync"], Texts(cut));

        await cut.Find(".timeline-filter .mud-chip[data-kind=All]").ClickAsync(new());
        Assert.Equal(4, Texts(cut).Count);
    }

    private static List<string> Texts(IRenderedComponent<DeploymentTimeline> cut) =>
        cut.FindAll("ol.timeline > li.timeline-item").Select(i => i.QuerySelector(".timeline-text")!.TextContent).ToList();

    private IRenderedComponent<DeploymentTimeline> Render(IReadOnlyList<EventRow> events, params DeploymentRow[] deployments) =>
        Context.Render<DeploymentTimeline>(p => p
            .Add(x => x.Events, events)
            .Add(x => x.Deployments, deployments.ToDictionary(d => d.Id))
            .Add(x => x.Now, Rows.Now));
}
