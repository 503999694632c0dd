using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Results;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Dashboard.Components.Pages;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// The agents overview left open, on a real database and a manual clock: committed changes patch the visible rows,
/// relative times move on with the clock, and "last seen" (stamped by health reports, never published) is re-read
/// for the rows on screen.
/// </summary>
public sealed class HomeTests : PageTestBase
{
    [Fact]
    public async Task OpenPage_HealthAndSyncChange_BadgesInTheRowChange()
    {
        var (agent, _) = await Seed.ReadyAsync(Db.Deployments, "badge-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("Health: Unknown", Badge(cut, "Health")), Wait);

        await Db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Unhealthy);
            return Task.FromResult<Outcome<bool>>(t.SetSync(SyncStatus.OutOfSync, "boom") is null);
        });
        await DeliverLiveAsync();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Health: Unhealthy", Badge(cut, "Health"));
            Assert.Equal("Sync: Out of sync", Badge(cut, "Sync"));
        }, Wait);
    }

    [Fact]
    public async Task OpenPage_ClockPasses_LastSeenAgesAndFollowsNewStamps()
    {
        var (agent, _) = await Seed.ReadyAsync(Db.Deployments, "clock-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("just now", LastSeen(cut)), Wait);
        await WaitUntilAsync(() => Time.PendingTimers > 0);

        // Nothing reports: the same stored time reads older on every tick.
        for (var i = 0; i < 7; i++) Time.Advance(PageClockInterval);
        cut.WaitForAssertion(() => Assert.Equal("1 min ago", LastSeen(cut)), Wait);

        // A report stamps "last seen" without a status change; the next tick shows it.
        await using (var db = Db.Open())
        {
            Assert.Equal(1, await HealthStamps.StampAgentAsync(db, agent.Id, null, Time.UtcNow, CancellationToken.None));
        }

        Time.Advance(PageClockInterval);
        cut.WaitForAssertion(() => Assert.Equal("10 s ago", LastSeen(cut)), Wait);
    }

    private static TimeSpan PageClockInterval => Dashboard.Components.Shared.PageClock.DefaultInterval;

    private static string? Badge(IRenderedComponent<Home> cut, string field) =>
        cut.FindAll("[role=img]").Select(b => b.GetAttribute("aria-label")).Single(l => l!.StartsWith(field + ":", StringComparison.Ordinal));

    private static string LastSeen(IRenderedComponent<Home> cut) =>
        cut.FindAll("time.reltime").Select(t => t.TextContent).Single();
}
