using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>
/// A fault at every step, each deterministic (faults by agent name, no timing luck). After each: zero orphans (every
/// agent and process that exists belongs to a ledger row) and, after teardown, nothing of the run remains.
/// </summary>
public sealed class ProvisioningFaultTests
{
    [Fact]
    public async Task WakeFails_CreatedAgentIsStillInTheLedgerAndTeardownFindsIt()
    {
        // The seed's first regression: create succeeds, wake fails; the created agent's id must not be lost.
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-0"] = Fault.WakeThrows;

        var run = await h.StartAsync(ProvisioningHarness.Spec(1, onFailure: OnFailure.Keep));
        var done = await h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.Failed, done.Status);
        var row = Assert.Single(done.Ledger);
        Assert.Equal(LedgerStep.Failed, row.Step);
        Assert.Contains("wake failed (injected)", row.Error);
        Assert.NotNull(row.AgentId);
        Assert.NotNull(row.DeploymentId);
        Assert.Empty(await h.OrphansAsync());

        var torn = await h.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Equal(RunStatus.TornDown, torn!.Status);
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
    }

    [Fact]
    public async Task PartialFanOut_EveryCreateBeforeTheFailureIsRecorded()
    {
        // The seed's second regression, deterministic with one agent at a time: 0 and 1 succeed, 2's create throws.
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-2"] = Fault.CreateThrows;

        var run = await h.StartAsync(ProvisioningHarness.Spec(5, maxConcurrent: 1, onFailure: OnFailure.Keep));
        var done = await h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Equal([LedgerStep.Woken, LedgerStep.Woken, LedgerStep.Failed, LedgerStep.Pending, LedgerStep.Pending],
            done.Ledger.Select(r => r.Step).ToList());
        Assert.All(done.Ledger.Take(2), r => Assert.NotNull(r.AgentId));
        Assert.All(done.Ledger.Skip(2), r => Assert.Null(r.AgentId));
        Assert.Contains("create failed (injected)", done.Ledger[2].Error);
        await using (var db = h.Db.Open()) Assert.Equal(2, await db.Agents.CountAsync());
        Assert.Empty(await h.OrphansAsync());
    }

    [Fact]
    public async Task CreateThrows_WithTeardown_RunTearsItselfDownAndNothingRemains()
    {
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-1"] = Fault.CreateThrows;

        var run = await h.StartAsync(ProvisioningHarness.Spec(3, maxConcurrent: 1));
        var done = await h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.TornDown, done.Status);
        Assert.All(done.Ledger, r => Assert.Equal(LedgerStep.TornDown, r.Step));
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
        Assert.Empty(await h.OrphansAsync());
        Assert.Empty(h.Runtime.Running());
    }

    [Fact]
    public async Task CreateThrowsAfterItsCommit_RowIsCreatedWithIdsThenFailedAndTornDown()
    {
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-0"] = Fault.CreateThrowsAfterCommit;

        var run = await h.StartAsync(ProvisioningHarness.Spec(1, onFailure: OnFailure.Keep));
        var done = await h.SettledAsync(run.Id!.Value);

        var row = Assert.Single(done.Ledger);
        Assert.Equal(LedgerStep.Failed, row.Step);
        Assert.NotNull(row.AgentId);
        Assert.Empty(await h.OrphansAsync());
        await h.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
    }

    [Fact]
    public async Task WakeHangsPastItsTimeout_FailedProcessStoppedAndTornDown()
    {
        using var h = new ProvisioningHarness(wakeTimeout: TimeSpan.FromMilliseconds(500));
        h.Steps.Faults["fleet-0"] = Fault.WakeHangs;

        var run = await h.StartAsync(ProvisioningHarness.Spec(2, maxConcurrent: 2));
        var done = await h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.TornDown, done.Status);
        var hung = await RowErrorAsync(h, run.Id.Value, "fleet-0");
        Assert.Contains("did not wake within 0.5 s", hung);
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
        Assert.Empty(await h.OrphansAsync());
    }

    [Fact]
    public async Task AgentNeverRegisters_TheDeployTimesOutThroughTheInterpreterAndTheRunTearsDown()
    {
        using var h = new ProvisioningHarness(readyTimeout: TimeSpan.FromMilliseconds(500));
        var spec = ProvisioningHarness.Spec(2, maxConcurrent: 2);
        spec = spec with { Agents = [spec.Agents[0], spec.Agents[1] with { Image = DockerImage.Parse(ProvisioningHarness.HangImage) }] };

        var run = await h.StartAsync(spec);
        var done = await h.SettledAsync(run.Id!.Value);

        Assert.Equal(RunStatus.TornDown, done.Status);
        Assert.Contains("did not register within 500 ms", await RowErrorAsync(h, run.Id.Value, "fleet-1"));
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
        Assert.Empty(h.Runtime.Running());
    }

    [Fact]
    public async Task AgentProcessCrashesAfterReady_DeploymentFailedLedgerStillHoldsItTeardownRemovesIt()
    {
        using var h = new ProvisioningHarness();
        using var stop = new CancellationTokenSource();
        var watch = h.Service.WatchOutcomesAsync(h.Db.Bus, stop.Token);
        using var live = h.Db.Bus.SubscribeRuns();
        var run = await h.StartAsync(ProvisioningHarness.Spec(2));
        var done = await h.SettledAsync(run.Id!.Value);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        var crashed = done.Ledger[0];

        h.Runtime.Inner.Die(crashed.DeploymentId!.Value, 139);
        await Runtime.StatusWait.UntilAsync(h.Db.Bus, crashed.AgentId!.Value, async () =>
        {
            await using var db = h.Db.Open();
            return (await db.Deployments.SingleAsync(d => d.Id == crashed.DeploymentId)).Status == DeploymentStatus.Failed;
        }, ProvisioningHarness.Wait, "the crashed deployment to be Failed");

        // The ledger row follows: Failed with the interpreter's reason.
        using (var cts = new CancellationTokenSource(ProvisioningHarness.Wait))
        {
            while ((await live.Changes.ReadAsync(cts.Token)) is not { Step: LedgerStep.Failed } change || change.EntryId != crashed.Id)
            {
            }
        }

        Assert.Contains("exited with code 139", await RowErrorAsync(h, run.Id.Value, crashed.AgentName));
        Assert.Empty(await h.OrphansAsync());
        var torn = await h.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Equal(RunStatus.TornDown, torn!.Status);
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
        await stop.CancelAsync();
        await watch;
    }

    [Fact]
    public async Task TeardownFailsHalfWay_RunFailedSayingWhatRemains_RunAgainFinishes()
    {
        using var h = new ProvisioningHarness();
        var run = await h.StartAsync(ProvisioningHarness.Spec(4));
        var done = await h.SettledAsync(run.Id!.Value);
        h.Runtime.FailNextStop[done.Ledger[1].DeploymentId!.Value] = 0;
        h.Runtime.FailNextStop[done.Ledger[3].DeploymentId!.Value] = 0;

        var first = await h.Service.TearDownAsync(run.Id.Value, "user:alice", default);

        Assert.Equal(RunStatus.Failed, first!.Status);
        Assert.Contains("2 agent(s) could not be removed", first.Error);
        Assert.Equal([LedgerStep.TornDown, LedgerStep.Woken, LedgerStep.TornDown, LedgerStep.Woken], first.Ledger.Select(r => r.Step).ToList());
        Assert.Contains("injected", first.Ledger[1].Error);
        Assert.Equal(2, h.Runtime.Running().Count);
        Assert.Empty(await h.OrphansAsync());

        var second = await h.Service.TearDownAsync(run.Id.Value, "user:alice", default);

        Assert.Equal(RunStatus.TornDown, second!.Status);
        Assert.All(second.Ledger, r => Assert.Equal(LedgerStep.TornDown, r.Step));
        Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
    }

    [Fact]
    public async Task CutoverDiesAfterACreateBeforeItsWake_AfterRestartInterruptedWithACompleteLedger_TeardownFindsAll()
    {
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-2"] = Fault.DieAfterCreate;
        var run = await h.StartAsync(ProvisioningHarness.Spec(4, maxConcurrent: 1));
        await h.Steps.Died.Task.WaitAsync(ProvisioningHarness.Wait);

        // A new process over the same database; the old one never runs again.
        using var after = h.Restart();
        Assert.Equal(1, await after.Service.MarkInterruptedAsync(default));

        var interrupted = (await after.Service.GetAsync(run.Id!.Value, default))!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal([LedgerStep.Woken, LedgerStep.Woken, LedgerStep.Created, LedgerStep.Pending], interrupted.Ledger.Select(r => r.Step).ToList());
        Assert.All(interrupted.Ledger.Take(3), r => Assert.NotNull(r.AgentId));
        await using (var db = h.Db.Open())
        {
            var agents = await db.Agents.Select(a => a.Id).ToListAsync();
            Assert.Equal(interrupted.Ledger.Where(r => r.AgentId != null).Select(r => r.AgentId!.Value).Order(), agents.Order());
        }

        var torn = await after.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Equal(RunStatus.TornDown, torn!.Status);
        await using var check = h.Db.Open();
        var ids = interrupted.Ledger.Where(r => r.AgentId != null).Select(r => r.AgentId!.Value).ToList();
        Assert.Equal(3, await check.Agents.CountAsync(a => ids.Contains(a.Id) && a.DeletedAt != null));
        Assert.Equal(0, await check.Deployments.CountAsync(d => ids.Contains(d.AgentId) && d.ExpiresAt == null));
    }

    [Fact]
    public async Task InterruptedRun_RestartRecoveryRelaunchesTheCreatedAgent_LedgerFollowsToWokenAndTeardownFindsIt()
    {
        using var h = new ProvisioningHarness();
        h.Steps.Faults["fleet-1"] = Fault.DieAfterCreate;
        var run = await h.StartAsync(ProvisioningHarness.Spec(2, maxConcurrent: 1));
        await h.Steps.Died.Task.WaitAsync(ProvisioningHarness.Wait);

        using var after = h.Restart();
        using var stop = new CancellationTokenSource();
        var watch = after.Service.WatchOutcomesAsync(after.Db.Bus, stop.Token);
        using var live = after.Db.Bus.SubscribeRuns();
        await after.Service.MarkInterruptedAsync(default);
        // The deploy service's start-up recovery relaunches the Pending deployment the dead process created.
        Assert.Equal(1, await after.Deploys.ResolveStrandedAsync(startup: true, default));

        using (var cts = new CancellationTokenSource(ProvisioningHarness.Wait))
        {
            while ((await live.Changes.ReadAsync(cts.Token)) is not { Step: LedgerStep.Woken, AgentName: "fleet-1" })
            {
            }
        }

        var view = (await after.Service.GetAsync(run.Id!.Value, default))!;
        Assert.Equal(RunStatus.Interrupted, view.Status);
        Assert.Equal([LedgerStep.Woken, LedgerStep.Woken], view.Ledger.Select(r => r.Step).ToList());
        Assert.Empty(await after.OrphansAsync());
        var torn = await after.Service.TearDownAsync(run.Id.Value, "user:alice", default);
        Assert.Equal(RunStatus.TornDown, torn!.Status);
        Assert.Empty(await after.RemainsOfAsync(run.Id.Value));
        await stop.CancelAsync();
        await watch;
    }

    [Fact]
    public async Task RandomFaults_TwoHundredInjected_ZeroOrphansAndTeardownLeavesNothing()
    {
        // Faults drawn from a fixed seed, so a failure replays exactly.
        var random = new Random(17);
        var faults = new[] { Fault.None, Fault.CreateThrows, Fault.CreateThrowsAfterCommit, Fault.WakeThrows, Fault.WakeHangs };
        using var h = new ProvisioningHarness(wakeTimeout: TimeSpan.FromMilliseconds(300));
        var injected = 0;
        var round = 0;
        while (injected < 200)
        {
            var prefix = $"r{round++}";
            var spec = ProvisioningHarness.Spec(10, maxConcurrent: 4, onFailure: random.Next(2) == 0 ? OnFailure.Teardown : OnFailure.Keep, prefix: prefix);
            foreach (var a in spec.Agents)
            {
                var f = faults[random.Next(faults.Length)];
                if (f == Fault.None) continue;
                h.Steps.Faults[a.Name] = f;
                injected++;
            }

            var run = await h.StartAsync(spec);
            var done = await h.SettledAsync(run.Id!.Value);
            Assert.Empty(await h.OrphansAsync());
            if (done.Status != RunStatus.TornDown) done = (await h.Service.TearDownAsync(run.Id.Value, "user:alice", default))!;
            Assert.Equal(RunStatus.TornDown, done.Status);
            Assert.Empty(await h.RemainsOfAsync(run.Id.Value));
        }

        Assert.Empty(await h.OrphansAsync());
        Assert.Empty(h.Runtime.Running());
    }

    private static async Task<string?> RowErrorAsync(ProvisioningHarness h, Guid runId, string agent)
    {
        await using var db = h.Db.Open();
        return (await db.LedgerEntries.SingleAsync(e => e.RunId == runId && e.AgentName == agent)).Error;
    }
}
