using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Guards;

/// <summary>Guards on a real SQLite database: started by a promote, replaced, aborted, passed and reverted through the chokepoint.</summary>
public sealed class GuardTests : IDisposable
{
    private static readonly GuardSettings Guard = new(TimeSpan.FromMinutes(5), 0.05, 20, true);

    private readonly ManualTimeProvider _time = new();
    private readonly TestDatabase _db;
    private readonly GuardService _guards;

    public GuardTests()
    {
        _db = new TestDatabase(_time, new DeploymentOptions { Retention = TimeSpan.FromDays(7) });
        _guards = new GuardService(_db.Chokepoint, _db.Factory);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Promote_WithGuard_WatchesTheNewProduction_AndRemembersTheHealthyPrevious()
    {
        var (agent, v1, v2) = await TwoAsync("g-start");
        var outcome = await _db.Deployments.PromoteAsync(agent.Id, v2.Id, "v2", "user:ada", default, guard: Guard);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);

        var view = await _guards.LatestAsync(agent.Id, default);
        Assert.NotNull(view);
        Assert.Equal(GuardStatus.Watching, view.Guard.Status);
        Assert.Equal(v2.Id, view.Guard.DeploymentId);
        Assert.Equal(v1.Id, view.Guard.PreviousDeploymentId);
        Assert.Equal(view.Guard.StartedAt + Guard.Window, view.Guard.EndsAt);
        Assert.Equal("user:ada", view.Guard.StartedBy);
        var started = await EventsAsync(agent.Id, EventKind.GuardStarted);
        Assert.Single(started);
        Assert.Contains("reverts to registry.local/g-start:1", started[0].Reason);
    }

    [Fact]
    public async Task Promote_PreviousWasUnhealthy_LastGoodIsTheNewestEarlierHealthyProduction_OrNone()
    {
        var (agent, v1, v2) = await TwoAsync("g-prev");
        var (_, v3) = await Seed.ReadyAsync(_db.Deployments, "g-prev", "registry.local/g-prev:3");
        await SetHealthAsync(agent.Id, v3.Id, HealthStatus.Healthy);
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default)).IsSuccess);
        await SetHealthAsync(agent.Id, v2.Id, HealthStatus.Unhealthy);

        // v2 (production, Unhealthy) is not good; v1 was production before and is Healthy.
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default, guard: Guard)).IsSuccess);
        Assert.Equal(v1.Id, (await _guards.LatestAsync(agent.Id, default))!.Guard.PreviousDeploymentId);

        // With v1 unhealthy too there is nothing good to return to: the guard still watches, with nowhere to go.
        await SetHealthAsync(agent.Id, v1.Id, HealthStatus.Unhealthy);
        await SetHealthAsync(agent.Id, v2.Id, HealthStatus.Unhealthy);
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default)).IsSuccess);
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default, guard: Guard)).IsSuccess);
        var view = await _guards.LatestAsync(agent.Id, default);
        Assert.Equal(GuardStatus.Watching, view!.Guard.Status);
        Assert.Null(view.Guard.PreviousDeploymentId);
    }

    [Fact]
    public async Task NewPromote_ReplacesTheWatchingGuard_OnlyOneWatches()
    {
        var (agent, v1, v2) = await TwoAsync("g-replace");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var first = (await _guards.LatestAsync(agent.Id, default))!.Guard;
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v1.Id, "back", "user:bob", default, guard: Guard)).IsSuccess);

        await using var db = _db.Open();
        var all = await db.Guards.AsNoTracking().Where(g => g.AgentId == agent.Id).ToListAsync();
        Assert.Equal(2, all.Count);
        var replaced = all.Single(g => g.Id == first.Id);
        Assert.Equal(GuardStatus.Aborted, replaced.Status);
        Assert.Contains("Replaced by a new promote", replaced.Reason);
        Assert.Single(all, g => g.Status == GuardStatus.Watching);
        // An unguarded promote also ends the watch (production is no longer what it watched).
        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default)).IsSuccess);
        Assert.Null(await _db.Open().Guards.FirstOrDefaultAsync(g => g.AgentId == agent.Id && g.Status == GuardStatus.Watching));
    }

    [Fact]
    public async Task SecondWatchingGuard_IsRefusedByTheDatabase()
    {
        var (agent, _, v2) = await TwoAsync("g-unique");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        // Bypassing the promote's replacement: the unique index still allows one watching guard per agent.
        var outcome = _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
        {
            t.StartGuard((await t.FindDeploymentAsync(v2.Id, ct))!, Guard, null);
            return true;
        });
        await Assert.ThrowsAsync<DbUpdateException>(() => outcome);
    }

    [Fact]
    public async Task Revert_ReturnsProductionToTheLastGood_RecordsAutoRevertedWithTheEvidence()
    {
        var (agent, v1, v2) = await TwoAsync("g-revert");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var view = (await _guards.WatchingAsync(default)).Single();
        var evidence = new GuardEvidence(40, 18, HealthStatus.Healthy);
        var decision = GuardDecision.Decide(Guard, evidence, _time.GetUtcNow().UtcDateTime, view.Guard.EndsAt);
        Assert.Equal(GuardDecisionKind.Revert, decision.Kind);

        var outcome = await _guards.ApplyAsync(view with { Evidence = evidence }, decision, default);
        Assert.Equal(GuardStatus.Reverted, outcome.Value);
        await using var db = _db.Open();
        Assert.Equal(v1.Id, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);
        var guard = await db.Guards.SingleAsync(g => g.Id == view.Guard.Id);
        Assert.Equal(GuardStatus.Reverted, guard.Status);
        Assert.Equal(v1.Id, guard.RevertedToDeploymentId);
        Assert.Equal(40, guard.EndRequests);
        Assert.Equal(18, guard.EndErrors);
        var reverted = Assert.Single(await EventsAsync(agent.Id, EventKind.AutoReverted));
        Assert.Equal(v1.Id, reverted.DeploymentId);
        Assert.Equal(GuardService.Actor, reverted.Actor);
        Assert.Contains("error rate 45 % over 40 calls is above the limit of 5 %", reverted.Reason);
        Assert.Contains("18 errors", reverted.Reason);
    }

    [Fact]
    public async Task AfterARevert_RollbackWithoutATarget_DoesNotOfferTheBadVersion()
    {
        var (agent, v1, v2) = await TwoAsync("g-after");
        var (_, v3) = await Seed.ReadyAsync(_db.Deployments, "g-after", "registry.local/g-after:3");
        await SetHealthAsync(agent.Id, v3.Id, HealthStatus.Healthy);
        // History: v1, v3, v1 again, then v2 guarded and reverted back to v1.
        await _db.Deployments.PromoteAsync(agent.Id, v3.Id, null, "user:ada", default);
        await _db.Deployments.PromoteAsync(agent.Id, v1.Id, null, "user:ada", default);
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var view = (await _guards.WatchingAsync(default)).Single();
        var evidence = new GuardEvidence(50, 50, HealthStatus.Healthy);
        Assert.Equal(GuardStatus.Reverted, (await _guards.ApplyAsync(view with { Evidence = evidence },
            GuardDecision.Decide(Guard, evidence, _time.GetUtcNow().UtcDateTime, view.Guard.EndsAt), default)).Value);

        // The newest earlier production is v2, the one just reverted away from: a rollback goes past it, to v3.
        Assert.Equal(v3.Id, (await _db.Deployments.PreviewRollbackTargetAsync(agent.Id, default))!.Id);
        var rolled = await _db.Deployments.RollbackAsync(agent.Id, null, null, "user:ada", default);
        Assert.Equal(v3.Id, rolled.Value!.Id);
        // Named explicitly it is still allowed: a person may choose to try it again.
        Assert.True((await _db.Deployments.RollbackAsync(agent.Id, v2.Id, null, "user:ada", default)).IsSuccess);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("failed")]
    [InlineData("unhealthy")]
    public async Task Revert_NeverPicksABadTarget_BreachedAndProductionKept(string whatWentWrong)
    {
        var (agent, v1, v2) = await TwoAsync("g-bad-" + whatWentWrong);
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        switch (whatWentWrong)
        {
            case "deleted":
                Assert.True((await _db.Deployments.DeleteAsync(agent.Id, v1.Id, null, "user:ada", default)).IsSuccess);
                break;
            case "failed":
                await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
                    t.SetDeploymentStatus((await t.FindDeploymentAsync(v1.Id, ct))!, DeploymentStatus.Failed, "exited") is { } f ? f : true);
                break;
            default:
                await SetHealthAsync(agent.Id, v1.Id, HealthStatus.Unhealthy);
                break;
        }

        var view = (await _guards.WatchingAsync(default)).Single();
        var evidence = new GuardEvidence(100, 90, HealthStatus.Healthy);
        var outcome = await _guards.ApplyAsync(view with { Evidence = evidence },
            GuardDecision.Decide(Guard, evidence, _time.GetUtcNow().UtcDateTime, view.Guard.EndsAt), default);

        Assert.Equal(GuardStatus.Breached, outcome.Value);
        await using var db = _db.Open();
        Assert.Equal(v2.Id, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);
        Assert.Contains("not reverted", (await db.Guards.SingleAsync(g => g.Id == view.Guard.Id)).Reason);
        Assert.Empty(await EventsAsync(agent.Id, EventKind.AutoReverted));
        Assert.Single(await EventsAsync(agent.Id, EventKind.GuardBreached));
    }

    [Fact]
    public async Task Abort_KeepsProduction_AndWithNothingWatching_IsAConflict()
    {
        var (agent, _, v2) = await TwoAsync("g-abort");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var aborted = await _guards.AbortAsync(agent.Id, "looks fine", "user:bob", default);
        Assert.True(aborted.IsSuccess);
        var view = await _guards.LatestAsync(agent.Id, default);
        Assert.Equal(GuardStatus.Aborted, view!.Guard.Status);
        Assert.Equal("Aborted by user:bob: looks fine", view.Guard.Reason);
        Assert.Equal(v2.Id, (await _db.Open().Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);

        var again = await _guards.AbortAsync(agent.Id, null, "user:bob", default);
        Assert.Equal(FailureKind.Conflict, again.Failure!.Kind);
        // A verdict for the aborted guard (a watcher round that read it before the abort) changes nothing.
        var late = await _guards.ApplyAsync(view, new GuardDecision(GuardDecisionKind.Revert, "late"), default);
        Assert.Equal(GuardStatus.Aborted, late.Value);
        Assert.Equal(v2.Id, (await _db.Open().Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);
    }

    [Fact]
    public async Task Pass_AfterAQuietWindow_EndsPassedWithItsEvidence()
    {
        var (agent, _, v2) = await TwoAsync("g-pass");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var view = (await _guards.WatchingAsync(default)).Single();
        var evidence = new GuardEvidence(500, 3, HealthStatus.Healthy);
        Assert.Equal(GuardDecisionKind.Keep, GuardDecision.Decide(Guard, evidence, _time.GetUtcNow().UtcDateTime, view.Guard.EndsAt).Kind);
        _time.Advance(Guard.Window);
        var decision = GuardDecision.Decide(Guard, evidence, _time.GetUtcNow().UtcDateTime, view.Guard.EndsAt);
        Assert.Equal(GuardDecisionKind.Pass, decision.Kind);
        Assert.Equal(GuardStatus.Passed, (await _guards.ApplyAsync(view with { Evidence = evidence }, decision, default)).Value);
        var ended = (await _guards.LatestAsync(agent.Id, default))!;
        Assert.Equal(500, ended.Evidence.Requests);
        Assert.Equal(3, ended.Evidence.Errors);
        Assert.Single(await EventsAsync(agent.Id, EventKind.GuardPassed));
    }

    [Fact]
    public async Task DefaultGuard_AppliesToPromotes_NotToRollbacks_AndClears()
    {
        var (agent, v1, v2) = await TwoAsync("g-default");
        Assert.True((await _guards.SetDefaultAsync(agent.Id, Guard, "user:ada", default)).IsSuccess);
        Assert.Equal(Guard, (await _db.Open().Agents.SingleAsync(a => a.Id == agent.Id)).DefaultGuard);

        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default);
        Assert.Equal(GuardStatus.Watching, (await _guards.LatestAsync(agent.Id, default))!.Guard.Status);
        await _db.Deployments.RollbackAsync(agent.Id, v1.Id, null, "user:ada", default);
        Assert.Equal(GuardStatus.Aborted, (await _guards.LatestAsync(agent.Id, default))!.Guard.Status);
        Assert.Contains("Replaced by a rollback", (await _guards.LatestAsync(agent.Id, default))!.Guard.Reason);

        Assert.True((await _guards.SetDefaultAsync(agent.Id, null, "user:ada", default)).IsSuccess);
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default);
        Assert.Equal(GuardStatus.Aborted, (await _guards.LatestAsync(agent.Id, default))!.Guard.Status);
    }

    [Fact]
    public async Task DeletingTheAgent_AbortsItsGuard()
    {
        var (agent, _, v2) = await TwoAsync("g-delete");
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "user:ada", null, async (t, ct) =>
        {
            await t.DeleteAgentAsync(t.Now.AddDays(7), ct);
            return true;
        });
        Assert.Empty(await _guards.WatchingAsync(default));
        Assert.Equal("The agent was deleted.", (await _guards.LatestAsync(agent.Id, default))!.Guard.Reason);
    }

    [Fact]
    public async Task GuardChanges_ArePublishedAfterCommit_WithTheGuardedDeployment()
    {
        var (agent, _, v2) = await TwoAsync("g-publish");
        using var subscription = _db.Bus.Subscribe(agent.Id);
        await _db.Deployments.PromoteAsync(agent.Id, v2.Id, null, "user:ada", default, guard: Guard);
        var changes = new List<StatusChange>();
        while (subscription.Changes.TryRead(out var c)) changes.Add(c);
        var started = Assert.Single(changes, c => c.Field == StatusField.Guard);
        Assert.Equal(v2.Id, started.DeploymentId);
        Assert.Equal("Watching", started.To);
        Assert.Equal(EventKind.GuardStarted, started.Kind);
    }

    private async Task<(Agent Agent, Deployment V1, Deployment V2)> TwoAsync(string name)
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, name, $"registry.local/{name}:1");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, name, $"registry.local/{name}:2");
        await SetHealthAsync(agent.Id, v1.Id, HealthStatus.Healthy);
        await SetHealthAsync(agent.Id, v2.Id, HealthStatus.Healthy);
        return (agent, v1, v2);
    }

    private Task SetHealthAsync(Guid agentId, Guid deploymentId, HealthStatus health) =>
        _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(deploymentId, ct))!, health);
            return true;
        });

    private async Task<List<TimelineEvent>> EventsAsync(Guid agentId, EventKind kind)
    {
        await using var db = _db.Open();
        return await db.Events.AsNoTracking().Where(e => e.AgentId == agentId && e.Kind == kind).OrderBy(e => e.Sequence).ToListAsync();
    }
}
