using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.Components.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Live;

public sealed class LiveChangesTests : BunitTestBase, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly TestDatabase _db = new();

    public LiveChangesTests()
    {
        Context.Services.AddSingleton(_db.Bus);
        Context.Services.AddSingleton<IDbContextFactory<CutoverDbContext>>(_db.Factory);
        Context.Services.AddLogging();
        Interactive();
    }

    [Fact]
    public async Task LiveChanges_CommittedChanges_UpdateTheRowBadgesInPlace()
    {
        var cut = Context.Render<LiveChanges>();
        cut.WaitForAssertion(() => Assert.Contains("No agents yet", cut.Markup), Wait);

        var agent = await _db.Chokepoint.EnsureAgentAsync("live-one", null, "test", default);
        cut.WaitForAssertion(() => Assert.Equal("Health: Unknown", Badge(cut, "live-one", "Health")), Wait);

        await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Healthy);
            return Task.FromResult<Outcome<bool>>(t.SetSync(SyncStatus.OutOfSync, "boom") is null);
        });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Health: Healthy", Badge(cut, "live-one", "Health"));
            Assert.Equal("Sync: Out of sync", Badge(cut, "live-one", "Sync"));
        }, Wait);
        Assert.Contains("health: Unknown → Healthy", cut.Find("ol[aria-label='Recent changes']").TextContent);
    }

    [Fact]
    public void LiveChanges_AgentsKnownAtStart_AreShownFromTheSnapshot()
    {
        _db.Bus.Seed([new AgentLiveState(Guid.NewGuid(), "seeded", HealthStatus.Unhealthy, SyncStatus.Synced, null, 3)]);
        var cut = Context.Render<LiveChanges>();
        Assert.Equal("Health: Unhealthy", Badge(cut, "seeded", "Health"));
    }

    [Fact]
    public async Task LiveChanges_Disposed_StopsListening()
    {
        var cut = Context.Render<LiveChanges>();
        await cut.Instance.DisposeAsync();
        using var probe = _db.Bus.Subscribe();
        await _db.Chokepoint.EnsureAgentAsync("after-dispose", null, "test", default);
        Assert.Single(Cutover.Tests.Unit.Health.HealthTestData.Drain(probe));
        Assert.Contains("No agents yet", cut.Markup);
    }

    private static string? Badge(IRenderedComponent<LiveChanges> cut, string agentName, string prefix)
    {
        var row = cut.FindAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == agentName);
        return row.QuerySelectorAll("[role=img]").Select(b => b.GetAttribute("aria-label")).Single(l => l!.StartsWith(prefix + ":"));
    }

    public new void Dispose()
    {
        base.Dispose();
        _db.Dispose();
    }
}
