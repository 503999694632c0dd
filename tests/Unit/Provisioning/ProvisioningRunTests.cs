using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>Create, record, wake; bounded parallelism; live ledger; dry run; checks before anything is created; teardown.</summary>
public sealed class ProvisioningRunTests : IDisposable
{
    private readonly ProvisioningHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Start_EveryAgentRegisters_SucceededEveryRowWokenWithItsAgentAndDeployment()
    {
        var run = await _h.StartAsync(ProvisioningHarness.Spec(5));
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.All(run.Ledger, r => Assert.Equal(LedgerStep.Pending, r.Step));

        var done = await _h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.NotNull(done.EndedAt);
        Assert.Equal(["fleet-0", "fleet-1", "fleet-2", "fleet-3", "fleet-4"], done.Ledger.Select(r => r.AgentName).ToList());
        await using var db = _h.Db.Open();
        foreach (var row in done.Ledger)
        {
            Assert.Equal(LedgerStep.Woken, row.Step);
            var d = await db.Deployments.SingleAsync(x => x.Id == row.DeploymentId);
            Assert.Equal(row.AgentId, d.AgentId);
            Assert.Equal(DeploymentStatus.Ready, d.Status);
            Assert.Equal(row.AgentName, (await db.Agents.SingleAsync(a => a.Id == row.AgentId)).Name);
        }

        Assert.Empty(await _h.OrphansAsync());
    }

    [Fact]
    public async Task Start_MaxConcurrentThree_NeverMoreThanThreeAgentsInFlight()
    {
        _h.Steps.HoldWakes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = await _h.StartAsync(ProvisioningHarness.Spec(10, maxConcurrent: 3));

        await Runtime.StatusWait.UntilAsync(() => _h.Steps.InFlight == 3, ProvisioningHarness.Wait, "three wakes in flight");
        // No slot is free, so no fourth agent can even be created.
        await using (var db = _h.Db.Open())
            Assert.Equal(3, await db.LedgerEntries.CountAsync(e => e.RunId == run.Id && e.Step != LedgerStep.Pending));
        _h.Steps.HoldWakes.SetResult();

        var done = await _h.SettledAsync(run.Id!.Value);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(3, _h.Steps.MaxInFlight);
    }

    [Fact]
    public async Task Start_EveryStepChange_PublishedLiveAfterItsCommitInOrder()
    {
        using var live = _h.Db.Bus.SubscribeRuns();
        var run = await _h.StartAsync(ProvisioningHarness.Spec(3));
        var done = await _h.SettledAsync(run.Id!.Value);

        var changes = new List<RunChange>();
        while (live.Changes.TryRead(out var c)) changes.Add(c);
        Assert.All(changes, c => Assert.Equal(run.Id, c.RunId));
        Assert.Equal(changes.Select(c => c.Sequence).OrderBy(s => s), changes.Select(c => c.Sequence));
        Assert.Equal(Enumerable.Range(1, changes.Count).Select(i => (long)i), changes.Select(c => c.Sequence));
        foreach (var row in done.Ledger)
        {
            var steps = changes.Where(c => c.EntryId == row.Id).Select(c => c.Step).ToList();
            Assert.Equal([LedgerStep.Pending, LedgerStep.Created, LedgerStep.Woken], steps);
            // The Created change already names the ids: a page can show them without a query.
            var created = changes.Single(c => c.EntryId == row.Id && c.Step == LedgerStep.Created);
            Assert.Equal((row.AgentId, row.DeploymentId), (created.AgentId, created.DeploymentId));
        }

        Assert.Equal(RunStatus.Succeeded, changes[^1].Status);
        Assert.Null(changes[^1].EntryId);
    }

    [Fact]
    public async Task Start_NamesThatExistAndUnknownImages_EveryProblemNamedNothingWritten()
    {
        var existing = await _h.Db.Chokepoint.EnsureAgentAsync("fleet-1", null, "test", default);
        await _h.Deletion.DeleteAsync((await _h.Db.Chokepoint.EnsureAgentAsync("fleet-3", null, "test", default)).Id, null, "test", default);
        var spec = ProvisioningHarness.Spec(4);
        spec = spec with { Agents = [.. spec.Agents.Take(3), spec.Agents[3], new AgentSpec("fleet-9", DockerImage.Parse("registry.local/unknown:1"), null, "{}")] };
        var before = await TableSnapshot.TakeAsync(_h.Db);

        var started = await _h.Service.StartAsync(spec, "user:alice", default);

        Assert.False(started.IsSuccess);
        Assert.Equal(
            [("agents[4].image", false), ("agents[1].name", true), ("agents[3].name", true)],
            started.Problems.Select(p => (p.Field, p.Conflict)).ToList());
        Assert.Contains("registry.local/unknown:1", started.Problems[0].Detail);
        Assert.Equal(before, await TableSnapshot.TakeAsync(_h.Db));
        Assert.NotEqual(Guid.Empty, existing.Id);
    }

    [Fact]
    public async Task DryRun_WalksThePlanAndWritesNothing()
    {
        await _h.Db.Chokepoint.EnsureAgentAsync("unrelated", null, "test", default);
        var before = await TableSnapshot.TakeAsync(_h.Db);
        using var live = _h.Db.Bus.SubscribeRuns();

        var started = await _h.Service.StartAsync(ProvisioningHarness.Spec(3, dryRun: true), "user:alice", default);

        Assert.True(started.IsSuccess);
        var plan = started.Run!;
        Assert.Equal((RunStatus.Planned, true, (Guid?)null), (plan.Status, plan.DryRun, plan.Id));
        Assert.Equal(["fleet-0", "fleet-1", "fleet-2"], plan.Ledger.Select(r => r.AgentName).ToList());
        Assert.All(plan.Ledger, r => Assert.Equal((LedgerStep.Pending, (Guid?)null, ProvisioningHarness.Image), (r.Step, r.AgentId, r.Image)));
        Assert.Equal(before, await TableSnapshot.TakeAsync(_h.Db));
        Assert.False(live.Changes.TryRead(out _));
        Assert.Empty(_h.Runtime.Started);

        // The same plan walks the same checks: a dry run of a taken name is refused like a real run.
        var taken = await _h.Service.StartAsync(ProvisioningHarness.Spec(1, dryRun: true, prefix: "unrelated") with
        {
            Agents = [new AgentSpec("unrelated", DockerImage.Parse(ProvisioningHarness.Image), null, "{}")],
        }, "user:alice", default);
        Assert.True(taken.Problems.Single().Conflict);
        Assert.Equal(before, await TableSnapshot.TakeAsync(_h.Db));
    }

    [Fact]
    public async Task Teardown_RemovesEveryLedgerAgentAndOnlyThose_Idempotent()
    {
        var (bystander, _) = await Seed.ReadyAsync(_h.Db.Deployments, "bystander");
        var run = await _h.StartAsync(ProvisioningHarness.Spec(4));
        await _h.SettledAsync(run.Id!.Value);
        Assert.Equal(4, _h.Runtime.Running().Count);

        var torn = await _h.Service.TearDownAsync(run.Id.Value, "user:alice", default);

        Assert.Equal(RunStatus.TornDown, torn!.Status);
        Assert.All(torn.Ledger, r => Assert.Equal(LedgerStep.TornDown, r.Step));
        Assert.Empty(await _h.RemainsOfAsync(run.Id.Value));
        Assert.Empty(_h.Runtime.Running());
        await using (var db = _h.Db.Open())
        {
            var b = await db.Agents.SingleAsync(a => a.Id == bystander.Id);
            Assert.False(b.IsDeleted);
            Assert.NotNull(b.ProductionDeploymentId);
        }

        var snapshot = await TableSnapshot.TakeAsync(_h.Db);
        var again = await _h.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Equal(RunStatus.TornDown, again!.Status);
        Assert.Equal(snapshot, await TableSnapshot.TakeAsync(_h.Db));
        Assert.Empty(await _h.OrphansAsync(bystander.Id));
    }

    [Fact]
    public async Task Teardown_WhileAgentsAreStillWaking_StopsTheRunFirstAndFindsEveryCreatedAgent()
    {
        _h.Steps.HoldWakes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = await _h.StartAsync(ProvisioningHarness.Spec(6, maxConcurrent: 2));
        await Runtime.StatusWait.UntilAsync(() => _h.Steps.InFlight == 2, ProvisioningHarness.Wait, "two wakes in flight");

        var torn = await _h.Service.TearDownAsync(run.Id!.Value, "user:alice", default);

        Assert.Equal(RunStatus.TornDown, torn!.Status);
        Assert.All(torn.Ledger, r => Assert.Equal(LedgerStep.TornDown, r.Step));
        Assert.Equal(2, torn.Ledger.Count(r => r.AgentId is not null));
        Assert.Empty(await _h.RemainsOfAsync(run.Id.Value));
        Assert.Empty(await _h.OrphansAsync());
    }
}
