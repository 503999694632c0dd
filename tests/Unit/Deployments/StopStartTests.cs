using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Deployments;

/// <summary>
/// Stop and start through the launcher and the chokepoint, over real SQLite with a process-less runtime (the real
/// processes are in <see cref="StopStartRuntimeTests"/>): the states, the events, the refusals, and that nothing that
/// picks a deployment to serve or to relaunch ever picks a stopped one.
/// </summary>
public sealed class StopStartTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DockerImage V1 = DockerImage.Parse("cutover/sample-agent:1.0");
    private static readonly DockerImage V2 = DockerImage.Parse("cutover/sample-agent:2.0");

    private readonly TestDatabase _db = new();
    private readonly FakeRuntime _runtime;
    private readonly DeploymentLauncher _deploys;

    public StopStartTests()
    {
        _runtime = new FakeRuntime(_db.Deployments);
        _deploys = DeploymentLauncherTests.Create(_db, _runtime, Wait);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Stop_ReadyPreview_StoppedUnknownWithOneStoppedEventAndNoFailed()
    {
        var (agent, production, preview) = await ProductionAndPreviewAsync();

        var outcome = await _deploys.StopAsync(agent, preview, "by user:alice", "not needed today", "user:alice", default);

        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        var d = await ReadAsync(preview);
        Assert.Equal(DeploymentStatus.Stopped, d.Status);
        Assert.Equal("by user:alice", d.StatusDetail);
        Assert.Equal(HealthStatus.Unknown, d.Health);
        Assert.NotNull(d.StatusChangedAt);
        var events = await EventsAsync(preview);
        var stopped = Assert.Single(events, e => e.Kind == EventKind.Stopped);
        Assert.Equal(("Ready", "Stopped", "not needed today", "user:alice"), (stopped.From, stopped.To, stopped.Reason, stopped.Actor));
        Assert.DoesNotContain(events, e => e.Kind == EventKind.Failed);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(production)).Status);
    }

    [Fact]
    public async Task Stop_AlreadyStopped_NoOpSuccessAndNoSecondEvent()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);

        var again = await _deploys.StopAsync(agent, preview, "by b", null, "user:b", default);

        Assert.True(again.IsSuccess);
        Assert.Equal(DeploymentStatus.Stopped, again.Value!.Status);
        Assert.Single(await EventsAsync(preview), e => e.Kind == EventKind.Stopped);
        Assert.Equal("by a", (await ReadAsync(preview)).StatusDetail);
    }

    [Fact]
    public async Task Stop_Production_ConflictSayingSoAndNothingChanged()
    {
        var (agent, production, _) = await ProductionAndPreviewAsync();
        var before = await EventsAsync(production);

        var outcome = await _deploys.StopAsync(agent, production, "by user:alice", null, "user:alice", default);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Equal(Transitions.CannotStopProduction, outcome.Failure!.Detail);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(production)).Status);
        Assert.Equal(before.Count, (await EventsAsync(production)).Count);
    }

    [Fact]
    public async Task StopAndStart_Failed_ConflictNothingRunsToStopOrStart()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("failed-bot", null, "test", default);
        _runtime.ImageBehaviour["cutover/sample-agent:9.9-broken"] = FakeRuntime.Behaviour.ExitBeforeRegistering;
        var created = await _deploys.DeployAsync(agent.Id, DockerImage.Parse("cutover/sample-agent:9.9-broken"), null, "test", default);
        Assert.False((await _deploys.WaitForSettledAsync(created.Value!.Id, default)!.WaitAsync(Wait)).Succeeded);

        var outcome = await _deploys.StopAsync(agent.Id, created.Value.Id, "by user:alice", null, "user:alice", default);
        var start = await _deploys.StartAsync(agent.Id, created.Value.Id, null, "user:alice", default);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Contains("Failed", outcome.Failure!.Detail);
        Assert.Equal(FailureKind.Conflict, start.Failure?.Kind);
        Assert.Contains("deploy its image again", start.Failure!.Detail);
        Assert.Equal(DeploymentStatus.Failed, (await ReadAsync(created.Value.Id)).Status);
    }

    [Fact]
    public async Task StopAndStart_Deleted_GoneAndNotStarted()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);
        Assert.True((await _db.Deployments.DeleteAsync(agent, preview, null, "user:a", default)).IsSuccess);

        var start = await _deploys.StartAsync(agent, preview, null, "user:a", default);
        var stop = await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default);

        Assert.Equal(FailureKind.Gone, start.Failure?.Kind);
        Assert.Equal(FailureKind.Gone, stop.Failure?.Kind);
        Assert.Equal(DeploymentStatus.Stopped, (await ReadAsync(preview)).Status);
        Assert.DoesNotContain(await EventsAsync(preview), e => e.Kind == EventKind.Started);
    }

    [Fact]
    public async Task Start_Stopped_StartedEventThenReadyThroughTheLaunchPath()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);

        var outcome = await _deploys.StartAsync(agent, preview, "needed again", "user:bob", default);

        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        var verdict = await _deploys.WaitForSettledAsync(preview, default)!.WaitAsync(Wait);
        Assert.True(verdict.Succeeded, verdict.Reason);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(preview)).Status);
        var kinds = (await EventsAsync(preview)).Where(e => e.Kind is EventKind.Stopped or EventKind.Started or EventKind.Ready)
            .Select(e => e.Kind).ToList();
        Assert.Equal([EventKind.Ready, EventKind.Stopped, EventKind.Started, EventKind.Ready], kinds);
        var started = (await EventsAsync(preview)).Single(e => e.Kind == EventKind.Started);
        Assert.Equal(("Stopped", "Pending", "needed again", "user:bob"), (started.From, started.To, started.Reason, started.Actor));
    }

    [Fact]
    public async Task Start_NotStopped_NoOpAndNoLaunch()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        var before = (await EventsAsync(preview)).Count;

        var outcome = await _deploys.StartAsync(agent, preview, null, "user:a", default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(DeploymentStatus.Ready, outcome.Value!.Status);
        Assert.Equal(before, (await EventsAsync(preview)).Count);
    }

    [Fact]
    public async Task StopAndStart_ImageTheRuntimeDoesNotRun_ConflictSayingWhereToDoIt()
    {
        var (agent, external) = await Seed.ReadyAsync(_db.Deployments, "pod-bot", "registry.local/agents/pod:1.0");
        var (_, preview) = await Seed.ReadyAsync(_db.Deployments, "pod-bot", "registry.local/agents/pod:2.0");

        var stop = await _deploys.StopAsync(agent.Id, preview.Id, "by a", null, "user:a", default);
        var disabled = DeploymentLauncherTests.Create(_db, new DisabledRuntime(), Wait);
        var stopDisabled = await disabled.StopAsync(agent.Id, preview.Id, "by a", null, "user:a", default);

        Assert.Equal(FailureKind.Conflict, stop.Failure?.Kind);
        Assert.Contains("where it runs", stop.Failure!.Detail);
        Assert.Equal(FailureKind.Conflict, stopDisabled.Failure?.Kind);
        Assert.Contains("No local runtime", stopDisabled.Failure!.Detail);
        Assert.Equal(DeploymentStatus.Ready, (await ReadAsync(preview.Id)).Status);
        Assert.True(external.IsProduction);
    }

    [Fact]
    public async Task PromoteAndRollback_StoppedTarget_RefusedAndNeverPickedAsTheRollbackTarget()
    {
        var (agent, first, second) = await ProductionAndPreviewAsync();
        // second becomes production, so first is the previous production: the natural rollback target.
        Assert.True((await _db.Deployments.PromoteAsync(agent, second, null, "user:a", default)).IsSuccess);
        Assert.Equal(first, (await _db.Deployments.PreviewRollbackTargetAsync(agent, default))?.Id);
        Assert.True((await _deploys.StopAsync(agent, first, "by a", null, "user:a", default)).IsSuccess);

        var promote = await _db.Deployments.PromoteAsync(agent, first, null, "user:a", default);
        var rollbackTo = await _db.Deployments.RollbackAsync(agent, first, null, "user:a", default);
        var rollback = await _db.Deployments.RollbackAsync(agent, null, null, "user:a", default);

        Assert.Equal(FailureKind.Conflict, promote.Failure?.Kind);
        Assert.Contains("stopped", promote.Failure!.Detail);
        Assert.Equal(FailureKind.Conflict, rollbackTo.Failure?.Kind);
        Assert.Equal(FailureKind.Conflict, rollback.Failure?.Kind);
        Assert.Null(await _db.Deployments.PreviewRollbackTargetAsync(agent, default));
        Assert.True((await ReadAsync(second)).IsProduction);
    }

    [Fact]
    public async Task GuardRevert_LastGoodStoppedSinceThePromote_BreachedAndProductionKept()
    {
        var (agent, first, second) = await ProductionAndPreviewAsync();
        var guards = new Core.Guards.GuardService(_db.Chokepoint, _db.Factory);
        var settings = new Core.Guards.GuardSettings(TimeSpan.FromMinutes(5), 0.05, 20, false);
        await SetHealthAsync(agent, first, HealthStatus.Healthy);
        Assert.True((await _db.Deployments.PromoteAsync(agent, second, null, "user:a", default, guard: settings)).IsSuccess);
        Assert.Equal(first, (await guards.LatestAsync(agent, default))!.Guard.PreviousDeploymentId);
        Assert.True((await _deploys.StopAsync(agent, first, "by a", null, "user:a", default)).IsSuccess);

        var view = (await guards.WatchingAsync(default)).Single(v => v.Guard.AgentId == agent);
        var evidence = new Core.Guards.GuardEvidence(100, 90, HealthStatus.Healthy);
        var outcome = await guards.ApplyAsync(view with { Evidence = evidence },
            Core.Guards.GuardDecision.Decide(settings, evidence, DateTime.UtcNow, view.Guard.EndsAt), default);

        Assert.Equal(Core.Guards.GuardStatus.Breached, outcome.Value);
        Assert.True((await ReadAsync(second)).IsProduction);
        Assert.Equal(DeploymentStatus.Stopped, (await ReadAsync(first)).Status);
        Assert.DoesNotContain(await EventsAsync(first), e => e.Kind == EventKind.AutoReverted);
    }

    private Task SetHealthAsync(Guid agentId, Guid deploymentId, HealthStatus health) =>
        _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(deploymentId, ct))!, health);
            return true;
        }, default);

    [Fact]
    public async Task Health_ReportForAStoppedDeployment_StaysUnknownWithNoEvent()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);
        var before = (await EventsAsync(preview)).Count;

        await _db.Chokepoint.UpdateStatusAsync<bool>(agent, "agent:late", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(preview, ct))!, HealthStatus.Healthy, "a late report");
            return true;
        }, default);

        Assert.Equal(HealthStatus.Unknown, (await ReadAsync(preview)).Health);
        Assert.Equal(before, (await EventsAsync(preview)).Count);
    }

    [Fact]
    public async Task Register_StoppedDeployment_ConflictAndStaysStopped()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);

        var registered = await _db.Deployments.RegisterAsync(
            new RegisterCommand("stop-bot", null, "http://127.0.0.1:9/late", preview, V2.Value, null), "agent:stop-bot", default);

        Assert.Equal(FailureKind.Conflict, registered.Failure?.Kind);
        Assert.Equal(DeploymentStatus.Stopped, (await ReadAsync(preview)).Status);
    }

    [Fact]
    public async Task Relaunch_Stopped_RefusedSoRecoveryAndDemoModeLeaveItStopped()
    {
        var (agent, _, preview) = await ProductionAndPreviewAsync();
        Assert.True((await _deploys.StopAsync(agent, preview, "by a", null, "user:a", default)).IsSuccess);

        var relaunch = await _deploys.RelaunchAsync(agent, preview, "system:demo", default);
        var resolved = await _deploys.ResolveStrandedAsync(startup: true, default);

        Assert.Equal(FailureKind.Conflict, relaunch.Failure?.Kind);
        Assert.Equal(0, resolved);
        Assert.Equal(DeploymentStatus.Stopped, (await ReadAsync(preview)).Status);
        Assert.DoesNotContain(await EventsAsync(preview), e => e.Kind == EventKind.Started);
    }

    [Fact]
    public async Task RpcStamps_NodesInAnyOrder_KeepTheNewestCall()
    {
        var (_, _, preview) = await ProductionAndPreviewAsync();
        var newer = new DateTime(2026, 12, 4, 12, 0, 5, DateTimeKind.Utc);
        await using var db = _db.Open();

        Assert.Equal(1, await RpcStamps.StampAsync(db, preview, newer, default));
        Assert.Equal(0, await RpcStamps.StampAsync(db, preview, newer.AddSeconds(-3), default));

        Assert.Equal(newer, (await ReadAsync(preview)).LastRpcAt);
    }

    [Fact]
    public void Transitions_StoppedOnlyFromPendingOrReadyAndOnlyBackToPending()
    {
        Assert.True(Transitions.IsAllowed(DeploymentStatus.Ready, DeploymentStatus.Stopped));
        Assert.True(Transitions.IsAllowed(DeploymentStatus.Pending, DeploymentStatus.Stopped));
        Assert.True(Transitions.IsAllowed(DeploymentStatus.Stopped, DeploymentStatus.Pending));
        Assert.False(Transitions.IsAllowed(DeploymentStatus.Stopped, DeploymentStatus.Ready));
        Assert.False(Transitions.IsAllowed(DeploymentStatus.Stopped, DeploymentStatus.Failed));
        Assert.False(Transitions.IsAllowed(DeploymentStatus.Failed, DeploymentStatus.Stopped));
        Assert.Contains("stopped", Transitions.CannotServeProduction(DeploymentStatus.Stopped, isDeleted: false));
    }

    /// <summary>An agent with a production deployment (1.0) and a Ready preview (2.0), both started by the launcher.</summary>
    private async Task<(Guid Agent, Guid Production, Guid Preview)> ProductionAndPreviewAsync()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("stop-bot", null, "test", default);
        var production = await DeployReadyAsync(agent.Id, V1);
        var preview = await DeployReadyAsync(agent.Id, V2);
        Assert.True((await ReadAsync(production)).IsProduction);
        return (agent.Id, production, preview);
    }

    private async Task<Guid> DeployReadyAsync(Guid agentId, DockerImage image)
    {
        var outcome = await _deploys.DeployAsync(agentId, image, null, "test", default);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        var verdict = await _deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);
        Assert.True(verdict.Succeeded, verdict.Reason);
        return outcome.Value.Id;
    }

    private async Task<Deployment> ReadAsync(Guid deploymentId)
    {
        await using var db = _db.Open();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
    }

    private async Task<List<TimelineEvent>> EventsAsync(Guid deploymentId)
    {
        await using var db = _db.Open();
        return await db.Events.AsNoTracking().Where(e => e.DeploymentId == deploymentId).OrderBy(e => e.Sequence).ToListAsync();
    }
}
