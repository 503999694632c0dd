using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Pages;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// The agents overview left open, fed by a faked seam: its live batches patch the visible rows, relative times move
/// on with the clock, "last seen" moves arrive as upserts, and the filters are the URL.
/// </summary>
public sealed class HomeTests : PageTestBase
{
    [Fact]
    public async Task OpenPage_HealthAndSyncChange_BadgesInTheRowChange()
    {
        var agent = Agent("badge-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("Health: Unknown", Badge(cut, "Health")), Wait);
        var reads = Data.AgentRequests.Count;

        await Data.PublishAsync(new AgentStatusChanged(new AgentLiveState(agent.Id, agent.Name, HealthStatus.Unhealthy, SyncStatus.OutOfSync, null, 2)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Health: Unhealthy", Badge(cut, "Health"));
            Assert.Equal("Sync: Out of sync", Badge(cut, "Sync"));
        }, Wait);
        // Patched in place: the page did not ask for its rows again.
        Assert.Equal(reads, Data.AgentRequests.Count);
    }

    [Fact]
    public async Task OpenPage_OneAgentChanges_OnlyItsRowRendersAgain()
    {
        var quiet = Agent("quiet-bot", lastSeen: Time.UtcNow.AddHours(-2));
        var busy = Agent("busy-bot", lastSeen: Time.UtcNow.AddHours(-2));
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindComponents<Dashboard.Components.Agents.AgentListCells>().Count), Wait);
        var rows = cut.FindComponents<Dashboard.Components.Agents.AgentListCells>().ToDictionary(r => r.Instance.Row.Name);
        var (quietRenders, busyRenders) = (rows["quiet-bot"].RenderCount, rows["busy-bot"].RenderCount);

        await Data.PublishAsync(new AgentStatusChanged(new AgentLiveState(busy.Id, busy.Name, HealthStatus.Unhealthy, SyncStatus.Unknown, null, 2)));

        cut.WaitForAssertion(() => Assert.Contains("Health: Unhealthy", rows["busy-bot"].Markup, StringComparison.Ordinal), Wait);
        // bunit counts renders of a component's subtree (the badge's chip renders after its own first render too).
        Assert.True(rows["busy-bot"].RenderCount > busyRenders);
        // The page rendered again (counts, LIVE mark), the untouched row and everything in it did not.
        Assert.Equal(quietRenders, rows["quiet-bot"].RenderCount);
        Assert.Equal(quiet.Id, rows["quiet-bot"].Instance.Row.Id);
    }

    [Fact]
    public async Task OpenPage_ClockPassesAndAgentIsSeen_LastSeenAgesThenFollowsTheUpsert()
    {
        var agent = Agent("clock-bot", lastSeen: Time.UtcNow);
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("just now", LastSeen(cut)), Wait);
        await WaitUntilAsync(() => Time.PendingTimers > 0);

        // Nothing reports: the same time reads older on every tick.
        for (var i = 0; i < 7; i++) Time.Advance(PageClockInterval);
        cut.WaitForAssertion(() => Assert.Equal("1 min ago", LastSeen(cut)), Wait);

        await Data.PublishAsync(new AgentSeen(agent.Id, Time.UtcNow.AddSeconds(-10)));
        cut.WaitForAssertion(() => Assert.Equal("10 s ago", LastSeen(cut)), Wait);
    }

    [Fact]
    public async Task FilterPicked_Health_GoesIntoTheUrlAndTheQuery()
    {
        Agent("sick-bot", HealthStatus.Unhealthy);
        Agent("fine-bot", HealthStatus.Healthy);
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal(2, Links(cut).Count), Wait);

        await cut.Find("[aria-label='Show unhealthy agents']").ClickAsync(new());

        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Equal(["sick-bot"], Links(cut)), Wait);
        Assert.EndsWith("?health=Unhealthy", navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, Data.AgentRequests[^1].Health);
    }

    [Theory]
    [InlineData(1, "1 agent")]
    [InlineData(2, "2 agents")]
    public void Summary_Total_OneAgentIsSingular(int agents, string expected)
    {
        for (var i = 0; i < agents; i++) Agent($"count-bot-{i}");

        var cut = Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("[aria-label='Agent summary'] > span").TextContent.Trim()), Wait);
    }

    [Fact]
    public void OpenedFromLink_SearchInUrl_ShowsThatView()
    {
        Agent("orders-api");
        Agent("billing-api");
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/?q=orders");

        var cut = Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(["orders-api"], Links(cut)), Wait);
        Assert.Equal("orders", Data.AgentRequests[^1].Search);
    }

    [Fact]
    public async Task Disposed_StopsListening()
    {
        Agent("bye-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal(1, Data.OpenSubscriptions), Wait);

        await cut.Instance.DisposeAsync();

        Assert.Equal(0, Data.OpenSubscriptions);
    }

    private AgentListRow Agent(string name, HealthStatus health = HealthStatus.Unknown, DateTime? lastSeen = null)
    {
        var row = new AgentListRow(Guid.NewGuid(), name, null, health, SyncStatus.Unknown, lastSeen ?? Time.UtcNow, null, null, null, 0, 1);
        Data.Agents.Add(row);
        return row;
    }

    private static TimeSpan PageClockInterval => Dashboard.Components.Shared.PageClock.DefaultInterval;

    private static string? Badge(IRenderedComponent<Home> cut, string field) =>
        cut.FindAll(".status-badge[role=img]").Select(b => b.GetAttribute("aria-label")).Single(l => l!.StartsWith(field + ":", StringComparison.Ordinal));

    private static string LastSeen(IRenderedComponent<Home> cut) =>
        cut.FindAll("time.reltime").Select(t => t.TextContent).Single();

    private static List<string> Links(IRenderedComponent<Home> cut) => cut.FindAll("a.agent-link").Select(a => a.TextContent).ToList();
}
