using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>
/// Runs on PostgreSQL, where no in-process gate serializes writers: concurrent creates of one run queue on the run's
/// row lock (FOR UPDATE) and each commits its agent with its ledger row; a name two runs race for ends in one agent.
/// </summary>
public sealed class ProvisioningPostgresTests(PostgresServer pg) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Creates_SixteenConcurrentOnOneRun_EveryRowCreatedWithItsAgentAndConsecutiveSequence()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (chokepoint, steps, factory, bus) = await CreateAsync("prov_par");
        using var live = bus.SubscribeRuns();
        var run = await NewRunAsync(chokepoint, "pg-fleet", 16);

        var outcomes = await Task.WhenAll(run.Ledger.Select(e => Task.Run(() => steps.CreateAsync(run.Run.Id, e.Id, "user:pg", default))));

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Failure?.Detail));
        await using var db = await factory.CreateDbContextAsync();
        var rows = await db.LedgerEntries.Where(e => e.RunId == run.Run.Id).ToListAsync();
        Assert.All(rows, r => Assert.Equal(LedgerStep.Created, r.Step));
        var agents = await db.Agents.Where(a => rows.Select(r => r.AgentId).Contains(a.Id)).ToListAsync();
        Assert.Equal(rows.Select(r => r.AgentName).Order(), agents.Select(a => a.Name).Order());
        Assert.Equal(16, await db.Deployments.CountAsync(d => rows.Select(r => r.DeploymentId).Contains(d.Id)));
        var changes = new List<RunChange>();
        while (live.Changes.TryRead(out var c)) changes.Add(c);
        Assert.Equal(Enumerable.Range(1, 1 + 16 + 16).Select(i => (long)i), changes.Select(c => c.Sequence).Order());
    }

    [Fact]
    public async Task Creates_TwoRunsRaceForOneName_OneAgentTheOtherRowRefused()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (chokepoint, steps, factory, _) = await CreateAsync("prov_race");
        var a = await NewRunAsync(chokepoint, "pg-same", 1, "pg-shared");
        var b = await NewRunAsync(chokepoint, "pg-same", 1, "pg-shared");

        var outcomes = await Task.WhenAll(
            Task.Run(() => steps.CreateAsync(a.Run.Id, a.Ledger[0].Id, "user:pg", default)),
            Task.Run(() => steps.CreateAsync(b.Run.Id, b.Ledger[0].Id, "user:pg", default)));

        Assert.Single(outcomes, o => o.IsSuccess);
        Assert.Contains("already exists", Assert.Single(outcomes, o => !o.IsSuccess).Failure!.Detail);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Agents.CountAsync(x => x.Name == "pg-shared"));
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.AgentName == "pg-shared" && e.Step == LedgerStep.Created));
    }

    private static async Task<(ProvisioningRun Run, List<LedgerEntry> Ledger)> NewRunAsync(StatusChokepoint chokepoint, string prefix, int agents,
        string? name = null)
    {
        var id = Guid.CreateVersion7();
        var ledger = new List<LedgerEntry>();
        var run = await chokepoint.CreateRunAsync(now =>
        {
            ledger = Enumerable.Range(0, agents)
                .Select(i => new LedgerEntry(Guid.CreateVersion7(), id, i, name ?? $"{prefix}-{i}", "cutover/sample-agent:1.0", null, "{}", now)).ToList();
            return (new ProvisioningRun(id, prefix, OnFailure.Keep, 16, "user:pg", now), ledger);
        }, "user:pg");
        return (run.Value!, ledger);
    }

    private async Task<(StatusChokepoint, ProvisioningSteps, IDbContextFactory<CutoverDbContext>, StatusBus)> CreateAsync(string name)
    {
        var factory = await Postgres.PostgresDatabases.CreateAsync(pg, name);
        var bus = new StatusBus();
        var chokepoint = new StatusChokepoint(factory, bus, new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
        var deployments = new DeploymentService(chokepoint, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);
        var runtime = new FakeRuntime(deployments);
        var deploys = new DeploymentLauncher(deployments, new SyncRunner(chokepoint, TimeProvider.System, NullLogger<SyncRunner>.Instance), chokepoint, bus,
            runtime, factory, new StaticOptionsMonitor<RuntimeOptions>(new RuntimeOptions()), TimeProvider.System, NullLogger<DeploymentLauncher>.Instance);
        var deletion = new AgentDeletion(chokepoint, factory, runtime, Options.Create(new DeploymentOptions()));
        return (chokepoint, new ProvisioningSteps(chokepoint, deploys, deletion), factory, bus);
    }
}
