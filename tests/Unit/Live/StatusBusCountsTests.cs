using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// The bus's counts per health and sync state (the agents overview's summary) follow every committed change, and
/// agree with a count of the rows in the database; a snapshot is the bus's shared immutable map, not a copy.
/// </summary>
public sealed class StatusBusCountsTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ChangesCommitted_Counts_AgreeWithTheDatabase()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++) ids.Add((await _db.Chokepoint.EnsureAgentAsync($"count-{i}", null, "test", default)).Id);
        Assert.Equal(new StatusCounts(6, 0, 0, 6, 0, 0), _db.Bus.Counts());

        await SetAsync(ids[0], HealthStatus.Healthy, null);
        await SetAsync(ids[1], HealthStatus.Healthy, SyncStatus.OutOfSync);
        await SetAsync(ids[2], HealthStatus.Unhealthy, SyncStatus.Syncing);
        await SetAsync(ids[1], HealthStatus.Unhealthy, null); // moves between two counts

        Assert.Equal(new StatusCounts(6, 1, 2, 3, 1, 1), _db.Bus.Counts());
        Assert.Equal(await FromDatabaseAsync(), _db.Bus.Counts());

        // A restarted process seeds a fresh bus from the rows: the same counts.
        var restarted = new StatusBus();
        await using (var db = _db.Open())
        {
            restarted.Seed((await db.Agents.AsNoTracking().ToListAsync()).Select(AgentLiveState.From));
        }

        Assert.Equal(_db.Bus.Counts(), restarted.Counts());
    }

    [Fact]
    public async Task Subscribe_EveryAgent_SharesOneSnapshotThatLaterChangesDoNotTouch()
    {
        var id = (await _db.Chokepoint.EnsureAgentAsync("snap-bot", null, "test", default)).Id;
        using var first = _db.Bus.Subscribe();
        using var second = _db.Bus.Subscribe();
        Assert.Same(first.Snapshot, second.Snapshot);

        await SetAsync(id, HealthStatus.Healthy, null);

        Assert.Equal(HealthStatus.Unknown, first.Snapshot[id].Health);
        Assert.Equal(HealthStatus.Healthy, _db.Bus.Current(id)!.Health);
        using var third = _db.Bus.Subscribe();
        Assert.Equal(HealthStatus.Healthy, third.Snapshot[id].Health);
    }

    private async Task SetAsync(Guid agentId, HealthStatus health, SyncStatus? sync)
    {
        var outcome = await _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(health);
            if (sync is { } s && t.SetSync(s) is { } refused) return Task.FromResult<Outcome<bool>>(refused);
            return Task.FromResult<Outcome<bool>>(true);
        });
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
    }

    private async Task<StatusCounts> FromDatabaseAsync()
    {
        await using var db = _db.Open();
        var agents = await db.Agents.AsNoTracking().Select(a => new { a.Health, a.Sync }).ToListAsync();
        return new StatusCounts(agents.Count, agents.Count(a => a.Health == HealthStatus.Healthy), agents.Count(a => a.Health == HealthStatus.Unhealthy),
            agents.Count(a => a.Health == HealthStatus.Unknown), agents.Count(a => a.Sync == SyncStatus.OutOfSync), agents.Count(a => a.Sync == SyncStatus.Syncing));
    }
}
