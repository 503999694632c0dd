using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Results;
using Cutover.Tests.Unit.Infrastructure;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Health;

public sealed class HealthMonitorTests : IDisposable
{
    private readonly ManualTimersTimeProvider _time = new();
    private readonly TestDatabase _db;
    private readonly HealthMonitor _monitor;

    public HealthMonitorTests()
    {
        _db = new TestDatabase(_time);
        _monitor = Monitor(_db, new HealthOptions
        {
            UnhealthyAfter = 3,
            LivenessWindow = TimeSpan.FromSeconds(60),
            LastSeenThrottle = TimeSpan.FromSeconds(10),
            ProbeInterval = TimeSpan.FromSeconds(15),
        });
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ReportAsync_ProductionDeployment_SetsDeploymentAndAgentHealthWithOneEventEach()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "alpha");
        using var sub = _db.Bus.Subscribe(agentId);

        var outcome = await _monitor.ReportAsync(await LiveAsync(_monitor, agentId), null, HealthStatus.Healthy, "all good", "agent:alpha", default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(deploymentId, outcome.Value!.DeploymentId);
        Assert.Equal(HealthStatus.Healthy, (await DeploymentAsync(_db, deploymentId)).Health);
        Assert.Equal(HealthStatus.Healthy, (await AgentAsync(_db, agentId)).Health);
        var events = await HealthEventsAsync(_db, agentId);
        Assert.Equal(2, events.Count);
        Assert.Equal(["Unknown", "Unknown"], events.Select(e => e.From));
        Assert.All(events, e => Assert.Equal("agent:alpha", e.Actor));
        Assert.Equal(2, Drain(sub).Count);
    }

    [Fact]
    public async Task ReportAsync_RepeatedIdenticalReports_WriteNoEventAndStampAtMostOncePerThrottle()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "chatty");
        var live = await LiveAsync(_monitor, agentId);
        await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:chatty", default);
        var t0 = _time.UtcNow;
        using var sub = _db.Bus.Subscribe(agentId);

        for (var i = 0; i < 200; i++) await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:chatty", default);
        _time.Advance(TimeSpan.FromSeconds(9));
        await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:chatty", default);
        Assert.Equal(t0, (await DeploymentAsync(_db, deploymentId)).LastHealthAt);

        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 50; i++) await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:chatty", default);

        Assert.Equal(_time.UtcNow, (await DeploymentAsync(_db, deploymentId)).LastHealthAt);
        Assert.Equal(_time.UtcNow, (await AgentAsync(_db, agentId)).LastSeenAt);
        Assert.Equal(2, (await HealthEventsAsync(_db, agentId)).Count);
        Assert.Empty(Drain(sub));
    }

    [Fact]
    public async Task ReportAsync_LegacyAgent_SetsTheAgentsOwnHealth()
    {
        var agentId = await LegacyAgentAsync(_db, "legacy");
        var outcome = await _monitor.ReportAsync(await LiveAsync(_monitor, agentId), null, HealthStatus.Unhealthy, "disk full", "agent:legacy", default);

        Assert.True(outcome.IsSuccess);
        Assert.Null(outcome.Value!.DeploymentId);
        Assert.Equal(HealthStatus.Unhealthy, (await AgentAsync(_db, agentId)).Health);
        var e = Assert.Single(await HealthEventsAsync(_db, agentId));
        Assert.Equal(("Unknown", "Unhealthy", "disk full"), (e.From, e.To, e.Reason));
    }

    [Fact]
    public async Task ReportAsync_DeploymentOfAnotherAgent_IsNotFoundAndWritesNothing()
    {
        var (agentId, _) = await ProductionAgentAsync(_db, "mine");
        var (otherId, otherDeployment) = await ProductionAgentAsync(_db, "theirs");

        var outcome = await _monitor.ReportAsync(await LiveAsync(_monitor, agentId), otherDeployment, HealthStatus.Healthy, null, "agent:mine", default);

        Assert.Equal(FailureKind.NotFound, outcome.Failure?.Kind);
        Assert.Equal(HealthStatus.Unknown, (await DeploymentAsync(_db, otherDeployment)).Health);
        Assert.Empty(await HealthEventsAsync(_db, agentId));
        Assert.Empty(await HealthEventsAsync(_db, otherId));
    }

    [Fact]
    public async Task ReportAsync_StoredHealthChangedElsewhere_StampNoticesAndWritesTheTransition()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "drift");
        var live = await LiveAsync(_monitor, agentId);
        await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:drift", default);

        // Another writer (another node, the restart recovery) makes it Unknown behind this monitor's back.
        await _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "elsewhere", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(deploymentId, ct))!, HealthStatus.Unknown);
            return true;
        });

        _time.Advance(TimeSpan.FromSeconds(10));
        await _monitor.ReportAsync(live, null, HealthStatus.Healthy, null, "agent:drift", default);

        Assert.Equal(HealthStatus.Healthy, (await DeploymentAsync(_db, deploymentId)).Health);
        Assert.Equal(HealthStatus.Healthy, (await AgentAsync(_db, agentId)).Health);
    }

    [Fact]
    public async Task SweepAsync_NoEvidenceWithinWindow_MakesHealthUnknownWithAnEvent()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "quiet");
        var legacyId = await LegacyAgentAsync(_db, "quiet-legacy");
        await _monitor.ReportAsync(await LiveAsync(_monitor, agentId), null, HealthStatus.Healthy, null, "agent:quiet", default);
        await _monitor.ReportAsync(await LiveAsync(_monitor, legacyId), null, HealthStatus.Healthy, null, "agent:quiet-legacy", default);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await _monitor.SweepAsync(default));
        Assert.Equal(HealthStatus.Healthy, (await AgentAsync(_db, agentId)).Health);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await _monitor.SweepAsync(default));

        Assert.Equal(HealthStatus.Unknown, (await DeploymentAsync(_db, deploymentId)).Health);
        Assert.Equal(HealthStatus.Unknown, (await AgentAsync(_db, agentId)).Health);
        Assert.Equal(HealthStatus.Unknown, (await AgentAsync(_db, legacyId)).Health);
        var last = (await HealthEventsAsync(_db, agentId)).Last();
        Assert.Equal((HealthMonitor.LivenessActor, "Healthy", "Unknown"), (last.Actor, last.From, last.To));
        Assert.Equal(0, await _monitor.SweepAsync(default));
    }

    [Fact]
    public async Task SweepAsync_StaleRowFromBeforeThisProcess_IsFoundInTheDatabase()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "inherited");
        await Monitor(_db).ReportAsync(await LiveAsync(_monitor, agentId), null, HealthStatus.Healthy, null, "agent:inherited", default);

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await _monitor.SweepAsync(default));
        Assert.Equal(HealthStatus.Unknown, (await DeploymentAsync(_db, deploymentId)).Health);
    }

    [Fact]
    public async Task ProbeResultAsync_ThreeFailuresMakeUnhealthy_ASuccessMakesHealthyAgain()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "probed");
        var target = HealthTarget.ForDeployment(agentId, deploymentId);
        Assert.Equal(HealthStatus.Healthy, await _monitor.ProbeResultAsync(target, true, "HTTP 200", default));

        await _monitor.ProbeResultAsync(target, false, "HTTP 503", default);
        await _monitor.ProbeResultAsync(target, false, "HTTP 503", default);
        Assert.Equal(HealthStatus.Healthy, (await DeploymentAsync(_db, deploymentId)).Health);
        Assert.Equal(HealthStatus.Unhealthy, await _monitor.ProbeResultAsync(target, false, "HTTP 503", default));
        Assert.Equal(HealthStatus.Unhealthy, (await AgentAsync(_db, agentId)).Health);

        Assert.Equal(HealthStatus.Healthy, await _monitor.ProbeResultAsync(target, true, "HTTP 200", default));
        var events = await HealthEventsAsync(_db, agentId);
        Assert.Equal(["Healthy", "Healthy", "Unhealthy", "Unhealthy", "Healthy", "Healthy"], events.Select(e => e.To));
        Assert.Contains("HTTP 503", events[2].Reason);
    }
}
