using Cutover.Tests.Unit.Runtime;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Deployments;

public sealed class DeploymentLauncherTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DockerImage V1 = DockerImage.Parse("cutover/sample-agent:1.0");
    private static readonly DockerImage V2 = DockerImage.Parse("cutover/sample-agent:2.0");
    private static readonly DockerImage Broken = DockerImage.Parse("cutover/sample-agent:2.1-broken");
    private static readonly DockerImage Stuck = DockerImage.Parse("cutover/sample-agent:9.9-stuck");
    private static readonly DockerImage Refused = DockerImage.Parse("cutover/sample-agent:0.0-refused");
    private static readonly DockerImage Throws = DockerImage.Parse("cutover/sample-agent:0.0-throws");

    private readonly TestDatabase _db = new();
    private readonly FakeRuntime _runtime;
    private readonly DeploymentLauncher _deploys;

    public DeploymentLauncherTests()
    {
        _runtime = new FakeRuntime(_db.Deployments);
        _runtime.ImageBehaviour[Broken.Value] = FakeRuntime.Behaviour.ExitBeforeRegistering;
        _runtime.ImageBehaviour[Stuck.Value] = FakeRuntime.Behaviour.Hang;
        _runtime.ImageBehaviour[Refused.Value] = FakeRuntime.Behaviour.Refuse;
        _runtime.ImageBehaviour[Throws.Value] = FakeRuntime.Behaviour.Throw;
        // Generous: a loaded machine must not fail a deploy that registers. The timeout test makes its own short one.
        _deploys = Create(_db, _runtime, TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _db.Dispose();

    internal static DeploymentLauncher Create(TestDatabase db, IDeploymentRuntime runtime, TimeSpan readyTimeout) =>
        new(db.Deployments, db.Sync, db.Chokepoint, db.Bus, runtime, db.Factory,
            new StaticOptionsMonitor<RuntimeOptions>(new RuntimeOptions { ReadyTimeout = readyTimeout }),
            TimeProvider.System, NullLogger<DeploymentLauncher>.Instance);

    [Fact]
    public async Task DeployAsync_AgentRegisters_ReadyAndSynced()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await _deploys.DeployAsync(agent.Id, V1, null, "user:alice", default);
        var verdict = await _deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);

        Assert.True(verdict.Succeeded);
        var (a, d) = await ReadAsync(agent.Id, outcome.Value.Id);
        Assert.Equal(DeploymentStatus.Ready, d.Status);
        Assert.Equal(SyncStatus.Synced, a.Sync);
        var syncSteps = await SyncHistoryAsync(agent.Id);
        Assert.Equal(["Syncing", "Synced"], syncSteps);
    }

    [Fact]
    public async Task DeployAsync_ProcessExitsBeforeRegistering_FailedWithReasonAndOutOfSync()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await _deploys.DeployAsync(agent.Id, Broken, null, "user:alice", default);
        var verdict = await _deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);

        Assert.False(verdict.Succeeded);
        var (a, d) = await ReadAsync(agent.Id, outcome.Value.Id);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Contains("exited with code 3", d.StatusDetail);
        Assert.Contains("fatal: cannot start", d.StatusDetail);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
        Assert.Equal(d.StatusDetail, a.LastError);
    }

    [Fact]
    public async Task DeployAsync_NoRegistrationInTime_FailedStoppedAndNotLeftSyncing()
    {
        var deploys = Create(_db, _runtime, TimeSpan.FromMilliseconds(500));
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await deploys.DeployAsync(agent.Id, Stuck, null, "user:alice", default);
        var verdict = await deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);

        Assert.False(verdict.Succeeded);
        var (a, d) = await ReadAsync(agent.Id, outcome.Value.Id);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Contains("did not register within", d.StatusDetail);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
        Assert.Contains(outcome.Value.Id, _runtime.Stopped);
    }

    [Fact]
    public async Task DeployAsync_RuntimeRefuses_ConflictFailedAndOutOfSyncNotUnhealthy()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await _deploys.DeployAsync(agent.Id, Refused, null, "user:alice", default);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Contains("refused by the fake runtime", outcome.Failure!.Detail);
        await using var db = _db.Open();
        var d = await db.Deployments.SingleAsync(x => x.AgentId == agent.Id);
        var a = await db.Agents.SingleAsync(x => x.Id == agent.Id);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
        Assert.NotEqual(HealthStatus.Unhealthy, a.Health);
    }

    [Fact]
    public async Task DeployAsync_RuntimeThrows_ConflictAndFailed()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await _deploys.DeployAsync(agent.Id, Throws, null, "user:alice", default);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        await using var db = _db.Open();
        Assert.Equal(DeploymentStatus.Failed, (await db.Deployments.SingleAsync(x => x.AgentId == agent.Id)).Status);
        Assert.Equal(SyncStatus.OutOfSync, (await db.Agents.SingleAsync(x => x.Id == agent.Id)).Sync);
    }

    [Fact]
    public async Task DeployAsync_ImageTheRuntimeDoesNotRun_OnlyCreatesPending()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);

        var outcome = await _deploys.DeployAsync(agent.Id, DockerImage.Parse("registry.example/other:1"), null, "user:alice", default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(DeploymentStatus.Pending, outcome.Value!.Status);
        Assert.Null(_deploys.WaitForSettledAsync(outcome.Value.Id, default));
        var (a, _) = await ReadAsync(agent.Id, outcome.Value.Id);
        Assert.Equal(SyncStatus.Unknown, a.Sync);
    }

    [Fact]
    public async Task DeployAsync_ReadyProcessDies_FailedOutOfSyncAndUnhealthy()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var outcome = await _deploys.DeployAsync(agent.Id, V1, null, "user:alice", default);
        await _deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(Wait);

        _runtime.Die(outcome.Value.Id, 137);

        await StatusWait.UntilAsync(_db.Bus, agent.Id, async () => (await ReadAsync(agent.Id, outcome.Value.Id)).D.Status == DeploymentStatus.Failed,
            Wait, "the dead deployment to be marked Failed");
        var (a, d) = await ReadAsync(agent.Id, outcome.Value.Id);
        Assert.Contains("137", d.StatusDetail);
        Assert.Equal(HealthStatus.Unhealthy, d.Health);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
    }

    [Fact]
    public async Task DeployAsync_TwoInFlightOneFails_SyncingUntilBothEndThenOutOfSync()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        // Long enough that the stuck deploy is surely still in flight when the good one has settled.
        var deploys = Create(_db, _runtime, TimeSpan.FromSeconds(4));

        var stuck = await deploys.DeployAsync(agent.Id, Stuck, null, "user:alice", default);
        var good = await deploys.DeployAsync(agent.Id, V1, null, "user:alice", default);
        await deploys.WaitForSettledAsync(good.Value!.Id, default)!.WaitAsync(Wait);
        var whileOneRuns = (await ReadAsync(agent.Id, good.Value.Id)).A.Sync;
        await deploys.WaitForSettledAsync(stuck.Value!.Id, default)!.WaitAsync(Wait);

        Assert.Equal(SyncStatus.Syncing, whileOneRuns);
        Assert.Equal(SyncStatus.OutOfSync, (await ReadAsync(agent.Id, good.Value.Id)).A.Sync);
    }

    private async Task<(Agent A, Deployment D)> ReadAsync(Guid agentId, Guid deploymentId)
    {
        await using var db = _db.Open();
        return (await db.Agents.AsNoTracking().SingleAsync(a => a.Id == agentId),
            await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId));
    }

    private async Task<List<string?>> SyncHistoryAsync(Guid agentId)
    {
        await using var db = _db.Open();
        return await db.Events.Where(e => e.AgentId == agentId && e.Kind == EventKind.SyncChanged)
            .OrderBy(e => e.Sequence).Select(e => e.To).ToListAsync();
    }
}
