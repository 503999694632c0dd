using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Core.Sync;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>
/// Deploys in flight when Cutover dies: a second DeploymentLauncher over the same database stands for the restarted
/// process (its in-memory state, the settling deploys and the runtime's processes, is gone).
/// </summary>
public sealed class StrandedDeployTests : IDisposable
{
    private static readonly DockerImage Image = DockerImage.Parse("cutover/sample-agent:9.9-stuck");
    private static readonly DockerImage External = DockerImage.Parse("registry.example/pods/agent:3");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TestDatabase _db;

    public StrandedDeployTests() => _db = new TestDatabase(_time);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ResolveStranded_PendingLocalDeployWithTimeLeft_RelaunchedAndReady()
    {
        var (agentId, deploymentId) = await StrandAsync();
        _time.Advance(TimeSpan.FromSeconds(20));

        var restarted = Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60));
        Assert.Equal(1, await restarted.ResolveStrandedAsync(startup: true, default));
        var verdict = await restarted.WaitForSettledAsync(deploymentId, default)!.WaitAsync(Wait);

        Assert.True(verdict.Succeeded);
        var (a, d) = await ReadAsync(agentId, deploymentId);
        Assert.Equal(DeploymentStatus.Ready, d.Status);
        Assert.Equal(SyncStatus.Synced, a.Sync);
    }

    [Fact]
    public async Task ResolveStranded_ReadyTimeoutRanOutAcrossTheRestart_FailedWithReasonAndOutOfSync()
    {
        var (agentId, deploymentId) = await StrandAsync();
        _time.Advance(TimeSpan.FromSeconds(61)); // the timeout counts from the deploy, not from the restart

        var restarted = Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60));
        Assert.Equal(1, await restarted.ResolveStrandedAsync(startup: true, default));

        var (a, d) = await ReadAsync(agentId, deploymentId);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Contains("Cutover restarted", d.StatusDetail);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
        Assert.Equal(d.StatusDetail, a.LastError);
        Assert.Null(restarted.WaitForSettledAsync(deploymentId, default));
    }

    /// <summary>
    /// The start-up resolution runs once the server listens, so a deploy a caller begins right after start-up can
    /// already be in the table (committed Pending, not yet watched): it is this process's own, never "stranded".
    /// It was relaunched before, which killed the process its deploy had just started.
    /// </summary>
    [Fact]
    public async Task ResolveStranded_DeployCreatedAfterThisProcessStarted_LeftToItsOwnDeploy()
    {
        var restarted = Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(1));
        var agent = await _db.Chokepoint.EnsureAgentAsync("fresh", null, "test", default);
        var created = await _db.Deployments.CreateAsync(agent.Id, Image, null, "user:alice", default);

        Assert.Equal(0, await restarted.ResolveStrandedAsync(startup: true, default));

        Assert.Null(restarted.WaitForSettledAsync(created.Value!.Id, default));
        Assert.Equal(DeploymentStatus.Pending, (await ReadAsync(agent.Id, created.Value.Id)).D.Status);
    }

    [Fact]
    public async Task ResolveStranded_AgentLeftSyncingWithNothingInFlight_Settled()
    {
        // The deploy registered just before the crash, but its verdict (which ends Syncing) was never written.
        var deploymentId = Guid.NewGuid();
        var registered = await _db.Deployments.RegisterAsync(
            new RegisterCommand("stranded", null, "http://127.0.0.1:9/s", deploymentId, Image.Value, null), "test", default);
        var agentId = registered.Value!.Agent.Id;
        await _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", "deploy began", (t, _) =>
            Task.FromResult<Cutover.Core.Results.Outcome<bool>>(t.SetSync(SyncStatus.Syncing) is null), default);
        Assert.Equal(SyncStatus.Syncing, (await ReadAsync(agentId, deploymentId)).A.Sync);

        await Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60)).ResolveStrandedAsync(startup: true, default);

        Assert.Equal(SyncStatus.Synced, (await ReadAsync(agentId, deploymentId)).A.Sync);
    }

    [Fact]
    public async Task ExternalPending_CarriesItsReason_AndFailsOnlyWithARegistrationTimeout()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("external", null, "test", default);
        var noTimeout = Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60));
        var created = await noTimeout.DeployAsync(agent.Id, External, null, "user:alice", default);
        Assert.Equal(DeploymentStatus.Pending, created.Value!.Status);
        Assert.Equal(DeploymentService.WaitingForPod, (await ReadAsync(agent.Id, created.Value.Id)).D.StatusDetail);

        _time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, await noTimeout.ResolveStrandedAsync(startup: true, default)); // off by default: may wait
        Assert.Equal(DeploymentStatus.Pending, (await ReadAsync(agent.Id, created.Value.Id)).D.Status);

        var withTimeout = Service(FakeRuntime.Behaviour.Register, TimeSpan.FromSeconds(60), registrationTimeout: TimeSpan.FromHours(6));
        Assert.Equal(0, await withTimeout.ResolveStrandedAsync(startup: false, default));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await withTimeout.ResolveStrandedAsync(startup: false, default));

        var (a, d) = await ReadAsync(agent.Id, created.Value.Id);
        Assert.Equal(DeploymentStatus.Failed, d.Status);
        Assert.Contains(DeploymentService.WaitingForPod, d.StatusDetail);
        Assert.Equal(SyncStatus.OutOfSync, a.Sync);
    }

    /// <summary>Starts a deploy whose process never registers, then abandons the service as a crash would.</summary>
    private async Task<(Guid AgentId, Guid DeploymentId)> StrandAsync()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("stranded", null, "test", default);
        var crashed = Service(FakeRuntime.Behaviour.Hang, TimeSpan.FromSeconds(60));
        var outcome = await crashed.DeployAsync(agent.Id, Image, null, "user:alice", default);
        Assert.Equal(DeploymentStatus.Pending, outcome.Value!.Status);
        return (agent.Id, outcome.Value.Id);
    }

    private DeploymentLauncher Service(FakeRuntime.Behaviour behaviour, TimeSpan readyTimeout, TimeSpan? registrationTimeout = null)
    {
        var runtime = new FakeRuntime(_db.Deployments);
        runtime.ImageBehaviour[Image.Value] = behaviour;
        // A fresh SyncRunner each time: a restart starts with no rounds in flight.
        return new DeploymentLauncher(_db.Deployments, new SyncRunner(_db.Chokepoint, _time, NullLogger<SyncRunner>.Instance), _db.Chokepoint, _db.Bus, runtime, _db.Factory,
            new StaticOptionsMonitor<RuntimeOptions>(new RuntimeOptions { ReadyTimeout = readyTimeout, RegistrationTimeout = registrationTimeout }),
            _time, NullLogger<DeploymentLauncher>.Instance);
    }

    private async Task<(Agent A, Deployment D)> ReadAsync(Guid agentId, Guid deploymentId)
    {
        await using var db = _db.Open();
        return (await db.Agents.AsNoTracking().SingleAsync(a => a.Id == agentId),
            await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId));
    }
}
