using Cutover.Dashboard.Components.Shared;
using Bunit;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;
using Cutover.Tests.Unit.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Components.Shared;

public sealed class LiveChangesTests : BunitTestBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeDashboardClient _data = new();

    public LiveChangesTests()
    {
        Context.Services.AddSingleton<IDashboardClient>(_data);
        Interactive();
    }

    [Fact]
    public async Task LiveChanges_BatchPublished_UpdatesTheRowBadgesInPlace()
    {
        var cut = Context.Render<LiveChanges>();
        Assert.Contains("No agents yet", cut.Markup);
        var id = Guid.NewGuid();

        await _data.PublishAsync(new AgentStatusChanged(new AgentLiveState(id, "live-one", HealthStatus.Unknown, SyncStatus.Unknown, null, 1)));
        cut.WaitForAssertion(() => Assert.Equal("Health: Unknown", Badge(cut, "live-one", "Health")), Wait);

        await _data.PublishAsync(
            new AgentStatusChanged(new AgentLiveState(id, "live-one", HealthStatus.Healthy, SyncStatus.OutOfSync, null, 3)),
            new TimelineEventAdded(new EventRow(Guid.NewGuid(), id, "live-one", null, EventKind.HealthChanged, "system", null, "Unknown", "Healthy", DateTime.UtcNow, 2)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Health: Healthy", Badge(cut, "live-one", "Health"));
            Assert.Equal("Sync: Out of sync", Badge(cut, "live-one", "Sync"));
        }, Wait);
        Assert.Contains("Health Unknown → Healthy", cut.Find("ol[aria-label='Recent changes']").TextContent);
    }

    [Fact]
    public void LiveChanges_AgentsKnownAtStart_AreShownFromTheSnapshot()
    {
        var id = Guid.NewGuid();
        _data.LiveStates[id] = new AgentLiveState(id, "seeded", HealthStatus.Unhealthy, SyncStatus.Synced, null, 3);
        var cut = Context.Render<LiveChanges>();
        Assert.Equal("Health: Unhealthy", Badge(cut, "seeded", "Health"));
    }

    [Fact]
    public async Task LiveChanges_Disposed_StopsListening()
    {
        var cut = Context.Render<LiveChanges>();
        Assert.Equal(1, _data.OpenSubscriptions);
        await cut.Instance.DisposeAsync();
        Assert.Equal(0, _data.OpenSubscriptions);
    }

    private static string? Badge(IRenderedComponent<LiveChanges> cut, string agentName, string prefix)
    {
        var row = cut.FindAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == agentName);
        return row.QuerySelectorAll(".status-badge[role=img]").Select(b => b.GetAttribute("aria-label")).Single(l => l!.StartsWith(prefix + ":"));
    }
}
