using Cutover.Core.Health;
using Cutover.Dashboard.Health;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Health;

/// <summary>Which targets a probe round takes when there are more than it may probe: the least recently observed.</summary>
public sealed class ProbeTargetsTests : IDisposable
{
    private readonly ManualTimersTimeProvider _time = new();
    private readonly TestDatabase _db;

    public ProbeTargetsTests() => _db = new TestDatabase(_time);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TargetsAsync_MoreThanTheRoundTakes_NeverObservedFirstThenTheStalest()
    {
        var (_, recent) = await Seed.ReadyAsync(_db.Deployments, "probe-recent");
        var (_, never) = await Seed.ReadyAsync(_db.Deployments, "probe-never");
        var (_, stale) = await Seed.ReadyAsync(_db.Deployments, "probe-stale");
        await ObservedAsync(recent.Id, _time.UtcNow.AddMinutes(-1));
        await ObservedAsync(never.Id, null);
        await ObservedAsync(stale.Id, _time.UtcNow.AddMinutes(-10));

        await using var db = _db.Open();
        var two = await HealthProbeWorker.TargetsAsync(db, max: 2, CancellationToken.None);
        var all = await HealthProbeWorker.TargetsAsync(db, max: 10, CancellationToken.None);

        Assert.Equal([HealthTarget.ForDeployment(never.AgentId, never.Id), HealthTarget.ForDeployment(stale.AgentId, stale.Id)],
            two.Select(t => t.Target));
        Assert.Equal([never.Id, stale.Id, recent.Id], all.Select(t => t.Target.DeploymentId));
        Assert.All(all, t => Assert.StartsWith("http://127.0.0.1:9/", t.Url, StringComparison.Ordinal));
    }

    private async Task ObservedAsync(Guid deploymentId, DateTime? at)
    {
        await using var db = _db.Open();
        await db.Deployments.Where(d => d.Id == deploymentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastHealthAt, at));
    }
}
