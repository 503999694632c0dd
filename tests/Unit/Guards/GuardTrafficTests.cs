using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Dashboard.Guards;
using Cutover.Dashboard.ScaleOut;
using Cutover.Dashboard.Traffic;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Cutover.Tests.Unit.Guards;

/// <summary>
/// Each node's share of a guard's evidence: counted from the guard's start (not the deployment's earlier preview
/// traffic), written to its own sample row, and summed over every node (and every process start) by the guard.
/// </summary>
public sealed class GuardTrafficTests : IDisposable
{
    private static readonly GuardSettings Settings = new(TimeSpan.FromMinutes(5), 0.05, 20, true);
    private readonly ManualTimeProvider _time = new();
    private readonly TestDatabase _db;
    private readonly GuardService _guards;

    public GuardTrafficTests()
    {
        _db = new TestDatabase(_time, new DeploymentOptions { Retention = TimeSpan.FromDays(7) });
        _guards = new GuardService(_db.Chokepoint, _db.Factory);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task TwoNodes_EachCountsItsOwnCallsSinceTheStart_TheGuardSeesTheSum()
    {
        var (agent, v2) = await GuardedAsync("t-sum", out var nodeA, out var nodeB, out var figuresA, out var figuresB);
        // Preview traffic before the promote is not the guard's business.
        Record(figuresA, agent, v2, ok: 7, failed: 7);
        var guard = await PromoteGuardedAsync(agent, v2);
        nodeA.Began(v2, guard.StartedAt);
        nodeB.Began(v2, guard.StartedAt);

        Record(figuresA, agent, v2, ok: 10, failed: 2);
        Record(figuresB, agent, v2, ok: 5, failed: 3);
        await nodeA.ReportAsync([guard], default);
        await nodeB.ReportAsync([guard], default);

        var view = (await _guards.WatchingAsync(default)).Single();
        Assert.Equal((20, 5), (view.Evidence.Requests, view.Evidence.Errors));
        await using var db = _db.Open();
        Assert.Equal(2, await db.GuardSamples.CountAsync(s => s.GuardId == guard.Id));

        // Later reports carry totals: a report that changed nothing writes nothing, more calls move the sum on.
        await nodeA.ReportAsync([guard], default);
        Record(figuresB, agent, v2, ok: 0, failed: 4);
        await nodeB.ReportAsync([guard], default);
        Assert.Equal((24L, 9L), ((await _guards.WatchingAsync(default)).Single().Evidence.Requests, (await _guards.WatchingAsync(default)).Single().Evidence.Errors));
    }

    [Fact]
    public async Task ARestartedNode_AddsARowOfItsOwn_SoCountsBeforeTheRestartStay()
    {
        var (agent, v2) = await GuardedAsync("t-restart", out var before, out _, out var figures, out _);
        var guard = await PromoteGuardedAsync(agent, v2);
        before.Began(v2, guard.StartedAt);
        Record(figures, agent, v2, ok: 6, failed: 0);
        await before.ReportAsync([guard], default);

        // The same node after a restart: a new process (new id), fresh figures, the guard already watching.
        var restartedFigures = RealDashboard.Traffic(_time);
        var after = Traffic(restartedFigures, "node-a");
        await after.ReportAsync([guard], default);
        Record(restartedFigures, agent, v2, ok: 0, failed: 3);
        await after.ReportAsync([guard], default);

        Assert.Equal((9L, 3L), ((await _guards.WatchingAsync(default)).Single().Evidence.Requests, (await _guards.WatchingAsync(default)).Single().Evidence.Errors));
    }

    [Fact]
    public async Task AnOlderGuardsStart_IsNotTakenForANewOnes()
    {
        var (agent, v2) = await GuardedAsync("t-stale", out var node, out _, out var figures, out _);
        var first = await PromoteGuardedAsync(agent, v2);
        // This node heard the first guard start but never reported it before it ended...
        node.Began(v2, first.StartedAt);
        Record(figures, agent, v2, ok: 30, failed: 0);
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = await PromoteGuardedAsync(agent, v2, fromAnother: true);
        // ...so the second guard (not yet heard of here) counts from its first report, not from the first one's start.
        await node.ReportAsync([second], default);
        Record(figures, agent, v2, ok: 1, failed: 1);
        await node.ReportAsync([second], default);

        var view = (await _guards.WatchingAsync(default)).Single();
        Assert.Equal(second.Id, view.Guard.Id);
        Assert.Equal((2L, 1L), (view.Evidence.Requests, view.Evidence.Errors));
        Assert.NotEqual(first.Id, second.Id);
    }

    private Task<(Agent Agent, Guid V2)> GuardedAsync(string name, out GuardTraffic a, out GuardTraffic b, out TrafficFigures figuresA,
        out TrafficFigures figuresB)
    {
        figuresA = RealDashboard.Traffic(_time);
        figuresB = RealDashboard.Traffic(_time);
        a = Traffic(figuresA, "node-a");
        b = Traffic(figuresB, "node-b");
        return SeedAsync(name);
    }

    private async Task<(Agent Agent, Guid V2)> SeedAsync(string name)
    {
        var (agent, v1) = await Seed.ReadyAsync(_db.Deployments, name, $"registry.local/{name}:1");
        var (_, v2) = await Seed.ReadyAsync(_db.Deployments, name, $"registry.local/{name}:2");
        await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
        {
            t.SetDeploymentHealth((await t.FindDeploymentAsync(v1.Id, ct))!, HealthStatus.Healthy);
            return true;
        });
        return (agent, v2.Id);
    }

    private async Task<Guard> PromoteGuardedAsync(Agent agent, Guid deploymentId, bool fromAnother = false)
    {
        if (fromAnother)
        {
            // Back to the first deployment and then to this one again: the first guard is replaced, a second starts.
            var v1 = (await _db.Open().Deployments.Where(d => d.AgentId == agent.Id && d.Id != deploymentId).SingleAsync()).Id;
            Assert.True((await _db.Deployments.PromoteAsync(agent.Id, v1, null, "user:ada", default)).IsSuccess);
        }

        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, deploymentId, null, "user:ada", default, guard: Settings)).IsSuccess);
        return (await _guards.WatchingAsync(default)).Single().Guard;
    }

    private GuardTraffic Traffic(TrafficFigures figures, string node) =>
        new(figures, _db.Factory, _db.Gate, new NodeIdentity(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [NodeIdentity.NameKey] = node }).Build()), _time);

    private static void Record(TrafficFigures figures, Agent agent, Guid deploymentId, int ok, int failed)
    {
        for (var i = 0; i < ok; i++) figures.Record(agent.Id, deploymentId, false, TimeSpan.FromMilliseconds(5));
        for (var i = 0; i < failed; i++) figures.Record(agent.Id, deploymentId, true, TimeSpan.FromMilliseconds(5));
    }
}
