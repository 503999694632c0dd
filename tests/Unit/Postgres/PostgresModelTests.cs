using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Postgres;

/// <summary>
/// The same model and hand-written migrations on PostgreSQL (the scale-out provider). There is no in-process write
/// gate there, so concurrent promotes exercise the agent-sequence concurrency token and its re-read path.
/// </summary>
public sealed class PostgresModelTests(PostgresServer pg) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Migrations_OnPostgres_ApplyAndMatchTheModel()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var factory = await CreateDatabaseAsync("migrations");
        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());

        // The partial unique index exists with the provider-neutral boolean predicate.
        var indexDef = await db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_Deployments_OneProductionPerAgent'").SingleAsync();
        Assert.Contains("UNIQUE", indexDef);
        Assert.Contains("WHERE \"IsProduction\"", indexDef);
    }

    [Fact]
    public async Task Promote_32ConcurrentOnPostgres_ExactlyOneProductionMatchingPointer()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var factory = await CreateDatabaseAsync("race");
        var chokepoint = new StatusChokepoint(factory, new StatusBus(), new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
        var deployments = new DeploymentService(chokepoint, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);

        var (agent, _) = await Seed.ReadyAsync(deployments, "pg-storm");
        var candidates = new List<Guid>();
        for (var i = 0; i < 6; i++) candidates.Add((await Seed.ReadyAsync(deployments, "pg-storm")).Deployment.Id);

        for (var round = 0; round < 5; round++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
                deployments.PromoteAsync(agent.Id, candidates[(i + round) % candidates.Count], null, "user:pg", default))));
            Assert.All(outcomes, o => Assert.True(o.IsSuccess || o.Failure!.Kind == FailureKind.Conflict, o.Failure?.Detail));

            await using var db = await factory.CreateDbContextAsync();
            var production = await db.Deployments.Where(d => d.AgentId == agent.Id && d.IsProduction).ToListAsync();
            var only = Assert.Single(production);
            Assert.Equal(only.Id, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).ProductionDeploymentId);
            var seqs = await db.Events.Where(e => e.AgentId == agent.Id).OrderBy(e => e.Sequence).Select(e => e.Sequence!.Value).ToListAsync();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(x => (long)x), seqs);
        }
    }

    [Fact]
    public async Task Register_ConcurrentFirstRegistrationsOnPostgres_OneAgent()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var factory = await CreateDatabaseAsync("register");
        var chokepoint = new StatusChokepoint(factory, new StatusBus(), new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
        var deployments = new DeploymentService(chokepoint, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => deployments.RegisterAsync(
            new RegisterCommand("pg-race", null, "http://127.0.0.1:9/pod", Guid.NewGuid(), "registry.local/pod:1", null), "pod", default))));
        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Failure?.Detail));
        await using var db = await factory.CreateDbContextAsync();
        var agent = await db.Agents.SingleAsync(a => a.Name == "pg-race");
        Assert.Equal(1, await db.Deployments.CountAsync(d => d.AgentId == agent.Id && d.IsProduction));
    }

    private async Task<IDbContextFactory<CutoverDbContext>> CreateDatabaseAsync(string name)
    {
        var database = $"cutover_{name}_{Guid.NewGuid():N}"[..40];
        var options = new DbContextOptionsBuilder<CutoverDbContext>().UseNpgsql(pg.ConnectionString(database)).Options;
        await using (var db = new CutoverDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        return new ContextFactory(options);
    }
}
