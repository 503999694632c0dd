using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Deployments;

public sealed class PromotionTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestDatabase _db;

    public PromotionTests() => _db = new TestDatabase(_time, new DeploymentOptions { Retention = TimeSpan.FromDays(7) });

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Promote_ReadyDeployment_MovesProductionAndPointerTogether()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "p");
        var (_, second) = await Seed.ReadyAsync(_db.Deployments, "p", "registry.local/p:2");
        var outcome = await _db.Deployments.PromoteAsync(agent.Id, second.Id, "v2", "user:ada", default);
        Assert.True(outcome.IsSuccess);
        await AssertProductionAsync(agent.Id, second.Id);
        await using var db = _db.Open();
        var row = await db.Deployments.SingleAsync(d => d.Id == second.Id);
        Assert.Equal("user:ada", row.PromotedBy);
        Assert.False((await db.Deployments.SingleAsync(d => d.Id == first.Id)).IsProduction);
    }

    [Fact]
    public async Task Promote_CurrentProduction_NoOpWithoutEvents()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "noop");
        var before = _db.Bus.Current(agent.Id)!.Sequence;
        var outcome = await _db.Deployments.PromoteAsync(agent.Id, first.Id, null, "user:ada", default);
        Assert.True(outcome.IsSuccess);
        Assert.Equal(before, _db.Bus.Current(agent.Id)!.Sequence);
    }

    [Fact]
    public async Task Promote_PendingDeployment_Conflict()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "pending");
        var created = await _db.Deployments.CreateAsync(agent.Id, DockerImage.Parse("registry.local/p:3"), null, "user:ada", default);
        var outcome = await _db.Deployments.PromoteAsync(agent.Id, created.Value!.Id, null, "user:ada", default);
        Assert.Equal(FailureKind.Conflict, outcome.Failure!.Kind);
        await AssertProductionAsync(agent.Id, first.Id);
    }

    [Fact]
    public async Task Promote_DeletedDeployment_Conflict()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "deleted");
        var (_, second) = await Seed.ReadyAsync(_db.Deployments, "deleted");
        Assert.True((await _db.Deployments.DeleteAsync(agent.Id, second.Id, null, "user:ada", default)).IsSuccess);
        var outcome = await _db.Deployments.PromoteAsync(agent.Id, second.Id, null, "user:ada", default);
        Assert.Equal(FailureKind.Conflict, outcome.Failure!.Kind);
        await AssertProductionAsync(agent.Id, first.Id);
    }

    [Fact]
    public async Task Promote_AnotherAgentsDeployment_NotFound()
    {
        var (a, _) = await Seed.ReadyAsync(_db.Deployments, "a");
        var (_, other) = await Seed.ReadyAsync(_db.Deployments, "b");
        var outcome = await _db.Deployments.PromoteAsync(a.Id, other.Id, null, "user:ada", default);
        Assert.Equal(FailureKind.NotFound, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task Delete_Production_ConflictAndKept()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "delprod");
        var outcome = await _db.Deployments.DeleteAsync(agent.Id, first.Id, null, "user:ada", default);
        Assert.Equal(FailureKind.Conflict, outcome.Failure!.Kind);
        await using var db = _db.Open();
        Assert.Null((await db.Deployments.SingleAsync(d => d.Id == first.Id)).ExpiresAt);
    }

    [Fact]
    public async Task Rollback_WithoutTarget_ReturnsToPreviousProductionRecordedAsRolledBack()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "rb");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "rb");
        var (_, v3) = await Seed.ReadyAsync(_db.Deployments, "rb");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default);
        await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default);

        Assert.Equal(v2.Id, (await _db.Deployments.PreviewRollbackTargetAsync(agent.Id, default))!.Id);
        var outcome = await _db.Deployments.RollbackAsync(agent.Id, null, "v3 is broken", "user:bob", default);
        Assert.True(outcome.IsSuccess);
        Assert.Equal(v2.Id, outcome.Value!.Id);
        await AssertProductionAsync(agent.Id, v2.Id);

        await using var db = _db.Open();
        var last = await db.Events.Where(e => e.AgentId == agent.Id && e.Kind == EventKind.RolledBack).SingleAsync();
        Assert.Equal("v3 is broken", last.Reason);
        Assert.Equal("user:bob", last.Actor);
        Assert.Equal(v2.Id, last.DeploymentId);

        // Rolling back again goes further back in history, skipping the current production deployment.
        var again = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:bob", default);
        Assert.Equal(v3.Id, again.Value!.Id);
        _ = v1;
    }

    [Fact]
    public async Task Rollback_SkipsDeletedHistory_AndNothingLeftIsConflict()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "rbnone");
        Assert.Null(await _db.Deployments.PreviewRollbackTargetAsync(agent.Id, default));
        var none = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:bob", default);
        Assert.Equal(FailureKind.Conflict, none.Failure!.Kind);

        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "rbnone");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default);
        await _db.Deployments.DeleteAsync(agent.Id, v1.Id, null, "user:ada", default);
        var afterDelete = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:bob", default);
        Assert.Equal(FailureKind.Conflict, afterDelete.Failure!.Kind);
        await AssertProductionAsync(agent.Id, v2.Id);
    }

    [Fact]
    public async Task Rollback_ToNamedDeployment_PromotesIt()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "rbnamed");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "rbnamed");
        var outcome = await _db.Deployments.RollbackAsync(agent.Id, v2.Id, "named", "user:bob", default);
        Assert.True(outcome.IsSuccess);
        await AssertProductionAsync(agent.Id, v2.Id);
        var same = await _db.Deployments.RollbackAsync(agent.Id, v2.Id, null, "user:bob", default);
        Assert.Equal(FailureKind.Conflict, same.Failure!.Kind);
        _ = v1;
    }

    [Fact]
    public async Task Promote_ExpectedProductionStale_ConflictNamingCurrentAndNothingChanged()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "stale");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "stale");
        var (_, v3) = await Seed.ReadyAsync(_db.Deployments, "stale");
        // Someone else promoted v2 after this caller's dialog showed v1 as production.
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:bob", default)).IsSuccess);
        var before = _db.Bus.Current(agent.Id)!.Sequence;

        var stale = await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default, expectedProductionDeploymentId: v1.Id);
        Assert.Equal(FailureKind.Conflict, stale.Failure!.Kind);
        Assert.Equal(v2.Id, stale.Failure.CurrentProductionDeploymentId);
        Assert.Contains(v2.Id.ToString(), stale.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal(before, _db.Bus.Current(agent.Id)!.Sequence);
        await AssertProductionAsync(agent.Id, v2.Id);

        var fresh = await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default, expectedProductionDeploymentId: v2.Id);
        Assert.True(fresh.IsSuccess);
        await AssertProductionAsync(agent.Id, v3.Id);
    }

    [Fact]
    public async Task Rollback_ExpectedProductionStale_ConflictNamingCurrentAndNothingChanged()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "stalerb");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "stalerb");
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:bob", default)).IsSuccess);

        var stale = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:ada", default, expectedProductionDeploymentId: v1.Id);
        Assert.Equal(FailureKind.Conflict, stale.Failure!.Kind);
        Assert.Equal(v2.Id, stale.Failure.CurrentProductionDeploymentId);
        await AssertProductionAsync(agent.Id, v2.Id);

        var fresh = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:ada", default, expectedProductionDeploymentId: v2.Id);
        Assert.Equal(v1.Id, fresh.Value!.Id);
        await AssertProductionAsync(agent.Id, v1.Id);
    }

    [Fact]
    public async Task Promote_ConcurrentConfirmationsOfTheSameProduction_ExactlyOneWins()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "confirm");
        var candidates = new List<Guid>();
        for (var i = 0; i < 8; i++) candidates.Add((await Seed.ReadyAsync(_db.Deployments, "confirm")).Deployment.Id);

        // Eight operators all saw v1 as production and confirmed a different target: one promote, seven stale.
        var outcomes = await Task.WhenAll(candidates.Select(c => Task.Run(() =>
            _db.Deployments.PromoteAsync(agent.Id, c, null, "user:x", default, expectedProductionDeploymentId: v1.Id))));
        var winner = Assert.Single(outcomes, o => o.IsSuccess);
        Assert.All(outcomes.Where(o => !o.IsSuccess), o => Assert.Equal(winner.Value!.Id, o.Failure!.CurrentProductionDeploymentId));
        await AssertProductionAsync(agent.Id, winner.Value!.Id);
    }

    [Fact]
    public async Task Purge_AfterRetention_RemovesDeletedNeverProductionAndRecordsEvent()
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, "purge");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, "purge");
        await _db.Deployments.DeleteAsync(agent.Id, v2.Id, "old", "user:ada", default);

        _time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await _db.Deployments.PurgeExpiredAsync(default));
        _time.Advance(TimeSpan.FromDays(1.1));
        Assert.Equal(1, await _db.Deployments.PurgeExpiredAsync(default));

        await using var db = _db.Open();
        Assert.False(await db.Deployments.AnyAsync(d => d.Id == v2.Id));
        Assert.True(await db.Deployments.AnyAsync(d => d.Id == v1.Id && d.IsProduction));
        Assert.True(await db.Events.AnyAsync(e => e.AgentId == agent.Id && e.Kind == EventKind.Purged && e.DeploymentId == v2.Id));
    }

    [Fact]
    public async Task Promote_32ConcurrentPromotesOverRounds_ExactlyOneProductionMatchingPointer()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "storm");
        var candidates = new List<Guid>();
        for (var i = 0; i < 8; i++) candidates.Add((await Seed.ReadyAsync(_db.Deployments, "storm")).Deployment.Id);

        for (var round = 0; round < 10; round++)
        {
            var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(() =>
                _db.Deployments.PromoteAsync(agent.Id, candidates[(i + round) % candidates.Count], $"round {round}", $"user:{i}", default))).ToList();
            var outcomes = await Task.WhenAll(tasks);
            Assert.All(outcomes, o => Assert.True(o.IsSuccess || o.Failure!.Kind == FailureKind.Conflict, o.Failure?.Detail));

            await using var db = _db.Open();
            var production = await db.Deployments.Where(d => d.AgentId == agent.Id && d.IsProduction).ToListAsync();
            var only = Assert.Single(production);
            Assert.Equal(only.Id, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);
        }
    }

    private async Task AssertProductionAsync(Guid agentId, Guid expected)
    {
        await using var db = _db.Open();
        var production = await db.Deployments.Where(d => d.AgentId == agentId && d.IsProduction).Select(d => d.Id).ToListAsync();
        Assert.Equal([expected], production);
        Assert.Equal(expected, (await db.Agents.SingleAsync(a => a.Id == agentId)).ProductionDeploymentId);
    }
}
