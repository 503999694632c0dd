using Cutover.Core.Domain;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Sync;

public sealed class RestartRecoveryTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RecoverAsync_SyncingAndObservedHealthLeftByACrash_BecomeOutOfSyncAndUnknownWithEvents()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "crashed");
        var calm = await LegacyAgentAsync(_db, "calm");
        await Monitor(_db).ReportAsync(await LiveAsync(Monitor(_db), agentId), null, HealthStatus.Healthy, null, "agent:crashed", default);
        await _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "runtime", "deploy", (t, _) =>
            Task.FromResult<Cutover.Core.Results.Outcome<bool>>(t.SetSync(SyncStatus.Syncing) is null));
        using var sub = _db.Bus.Subscribe();

        var changed = await new RestartRecovery(_db.Factory, _db.Chokepoint, NullLogger<RestartRecovery>.Instance).RecoverAsync(default);

        Assert.Equal(1, changed);
        var agent = await AgentAsync(_db, agentId);
        Assert.Equal((SyncStatus.OutOfSync, RestartRecovery.InterruptedError, HealthStatus.Unknown), (agent.Sync, agent.LastError, agent.Health));
        Assert.Equal(HealthStatus.Unknown, (await DeploymentAsync(_db, deploymentId)).Health);
        Assert.Equal(SyncStatus.Unknown, (await AgentAsync(_db, calm)).Sync);

        var published = Drain(sub);
        Assert.Equal([StatusField.Sync, StatusField.DeploymentHealth, StatusField.Health], published.Select(c => c.Field));
        Assert.All(published, c => Assert.Equal(RestartRecovery.Actor, c.Actor));
        await using var ctx = _db.Open();
        Assert.Equal(3, await ctx.Events.CountAsync(e => e.AgentId == agentId && e.Actor == RestartRecovery.Actor));
    }

    [Fact]
    public async Task RecoverAsync_NothingLeftOver_WritesNothing()
    {
        await LegacyAgentAsync(_db, "fresh");
        using var sub = _db.Bus.Subscribe();
        Assert.Equal(0, await new RestartRecovery(_db.Factory, _db.Chokepoint, NullLogger<RestartRecovery>.Instance).RecoverAsync(default));
        Assert.Empty(Drain(sub));
    }
}
