using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Dashboard.Health;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Health;

/// <summary>A stopped deployment is left out of health: no probe, no liveness churn, no late report turning it Healthy.</summary>
public sealed class StoppedHealthTests : IDisposable
{
    private readonly ManualTimersTimeProvider _time = new();
    private readonly TestDatabase _db;
    private readonly HealthMonitor _monitor;

    public StoppedHealthTests()
    {
        _db = new TestDatabase(_time);
        _monitor = Monitor(_db, new HealthOptions { UnhealthyAfter = 3, LivenessWindow = TimeSpan.FromSeconds(60) });
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Stopped_ProbesSweepsAndReports_NoHealthEventAndNotAProbeTarget()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "stopped-health");
        var (_, preview) = await Seed.ReadyAsync(_db.Deployments, "stopped-health", "registry.local/agents/demo:2.0");
        var runtime = new FakeRuntime(_db.Deployments);
        runtime.ImageBehaviour[preview.DockerImage.Value] = FakeRuntime.Behaviour.Register;
        var deploys = Deployments.DeploymentLauncherTests.Create(_db, runtime, TimeSpan.FromSeconds(30));
        var target = HealthTarget.ForDeployment(agent.Id, preview.Id);
        Assert.Equal(HealthStatus.Healthy, await _monitor.ProbeResultAsync(target, success: true, null, default));

        Assert.True((await deploys.StopAsync(agent.Id, preview.Id, "by user:a", null, "user:a", default)).IsSuccess);
        var afterStop = await HealthEventsAsync(_db, agent.Id);
        Assert.Equal("Unknown", afterStop[^1].To);

        for (var i = 0; i < 3; i++) await _monitor.ProbeResultAsync(target, success: false, "connection refused", default);
        await _monitor.ReportAsync(await LiveAsync(_monitor, agent.Id), preview.Id, HealthStatus.Healthy, "a late report", "agent:stopped-health", default);
        _time.Advance(TimeSpan.FromMinutes(5));
        var swept = await _monitor.SweepAsync(default);

        Assert.Equal(0, swept);
        Assert.Equal(afterStop.Count, (await HealthEventsAsync(_db, agent.Id)).Count);
        Assert.Equal(HealthStatus.Unknown, (await DeploymentAsync(_db, preview.Id)).Health);
        await using var db = _db.Open();
        Assert.DoesNotContain(await HealthProbeWorker.TargetsAsync(db, max: 100, CancellationToken.None), t => t.Target == target);
    }
}
