using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Live;
using Cutover.Dashboard.Components.Pages;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Pages;

/// <summary>
/// The agents overview left open, on a real database and a manual clock: committed changes patch the visible rows,
/// relative times move on with the clock, and "last seen" (stamped by health reports, never published) is re-read
/// for the rows on screen.
/// </summary>
public sealed class HomeTests : BunitTestBase, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ManualTimersTimeProvider _time = new();
    private readonly TestDatabase _db;

    public HomeTests()
    {
        _db = new TestDatabase(_time);
        Context.Services.AddSingleton<TimeProvider>(_time);
        Context.Services.AddSingleton(new AgentQueries(_db.Factory));
        Context.Services.AddSingleton(_db.Bus);
        Interactive();
    }

    [Fact]
    public async Task OpenPage_HealthAndSyncChange_BadgesInTheRowChange()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "badge-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("Health: Unknown", Badge(cut, "Health")), Wait);

        await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Unhealthy);
            return Task.FromResult<Outcome<bool>>(t.SetSync(SyncStatus.OutOfSync, "boom") is null);
        });
        // The listener gathers a burst for one batch window on the page's clock; the page clock's own timer is the other.
        await WaitUntilAsync(() => _time.PendingTimers == 2);
        Advance(LiveStatusListener.DefaultBatchWindow);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Health: Unhealthy", Badge(cut, "Health"));
            Assert.Equal("Sync: Out of sync", Badge(cut, "Sync"));
        }, Wait);
    }

    [Fact]
    public async Task OpenPage_ClockPasses_LastSeenAgesAndFollowsNewStamps()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "clock-bot");
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.Equal("just now", LastSeen(cut)), Wait);
        await WaitUntilAsync(() => _time.PendingTimers > 0);

        // Nothing reports: the same stored time reads older on every tick.
        for (var i = 0; i < 7; i++) Advance(PageClockInterval);
        cut.WaitForAssertion(() => Assert.Equal("1 min ago", LastSeen(cut)), Wait);

        // A report stamps "last seen" without a status change; the next tick shows it.
        await using (var db = _db.Open())
        {
            Assert.Equal(1, await HealthStamps.StampAgentAsync(db, agent.Id, null, _time.UtcNow, CancellationToken.None));
        }

        Advance(PageClockInterval);
        cut.WaitForAssertion(() => Assert.Equal("10 s ago", LastSeen(cut)), Wait);
    }

    private static TimeSpan PageClockInterval => Dashboard.Components.Shared.PageClock.DefaultInterval;

    private void Advance(TimeSpan by) => _time.Advance(by);

    private static string? Badge(IRenderedComponent<Home> cut, string field) =>
        cut.FindAll("[role=img]").Select(b => b.GetAttribute("aria-label")).Single(l => l!.StartsWith(field + ":", StringComparison.Ordinal));

    private static string LastSeen(IRenderedComponent<Home> cut) =>
        cut.FindAll("time.reltime").Select(t => t.TextContent).Single();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, deadline.Token);
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        _db.Dispose();
    }
}
