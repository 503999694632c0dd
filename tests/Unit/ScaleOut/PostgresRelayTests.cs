using System.Text;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.ScaleOut;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cutover.Tests.Unit.ScaleOut;

/// <summary>
/// The relay on a real PostgreSQL: what a listening session hears is exactly what committed, as stored, however
/// many changes one commit makes; a change that does not commit is never heard.
/// </summary>
public sealed class PostgresRelayTests(PostgresServer pg) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task CommitOf300Changes_WithAnOverlongReason_IsHeardWhole_InOrder_AsStored_InMessagesUnderTheLimit()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (factory, database) = await CreateAsync("relay");
        var seeding = new StatusChokepoint(factory, new StatusBus(), new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
        var deployments = new DeploymentService(seeding, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);
        var (agent, _) = await Seed.ReadyAsync(deployments, "relay-wide");
        for (var i = 1; i < 300; i++) await Seed.ReadyAsync(deployments, "relay-wide");

        long before;
        await using (var seeded = await factory.CreateDbContextAsync())
        {
            before = await seeded.Agents.Where(a => a.Id == agent.Id).Select(a => a.LastSequence).SingleAsync();
        }

        await using var listener = await ListenAsync(database);
        var relaying = Relaying(factory);
        var reason = new string('r', 5_000); // an internal reason (a runtime's error text) is not length-checked at the edge
        var outcome = await relaying.UpdateStatusAsync<bool>(agent.Id, "test", reason, async (t, ct) =>
        {
            foreach (var d in await t.Deployments.OrderBy(d => d.CreatedAt).ToListAsync(ct)) t.SetDeploymentHealth(d, HealthStatus.Healthy);
            return true;
        });
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);

        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Events.AsNoTracking().Where(e => e.AgentId == agent.Id && e.Sequence > before)
            .OrderBy(e => e.Sequence).ToListAsync();
        // 300 deployment healths, and the agent's own (it follows its production deployment's).
        Assert.Equal(301, stored.Count);
        var heard = await listener.ChangesAsync(stored.Count);
        Assert.Equal(stored.Select(e => (e.Sequence, e.DeploymentId, e.Reason)), heard.Select(c => ((long?)c.Sequence, c.DeploymentId, c.Reason)));
        Assert.All(heard, c => Assert.Equal(TimelineEvent.ReasonMaxLength, c.Reason!.Length));
        Assert.True(listener.Payloads.Count > 1);
        Assert.All(listener.Payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000));
    }

    [Fact]
    public async Task ChangeThatDoesNotCommit_IsNeverHeard()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (factory, database) = await CreateAsync("rollback");
        var relaying = Relaying(factory);
        var deployments = new DeploymentService(relaying, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);
        var (agent, _) = await Seed.ReadyAsync(deployments, "relay-rollback");
        await using var listener = await ListenAsync(database);

        var refused = await relaying.UpdateStatusAsync<bool>(agent.Id, "test", "refused", (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Unhealthy);
            return Task.FromResult<Outcome<bool>>(Failure.Conflict("changed its mind"));
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => relaying.UpdateStatusAsync<bool>(agent.Id, "test", "thrown", (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Unhealthy);
            throw new InvalidOperationException("a bug");
        }));
        var committed = await relaying.UpdateStatusAsync<bool>(agent.Id, "test", "committed", (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Healthy);
            return Task.FromResult<Outcome<bool>>(true);
        });

        Assert.False(refused.IsSuccess);
        Assert.True(committed.IsSuccess);
        // Notifications arrive in commit order: the first one heard is the committed change, nothing before it.
        var first = Assert.Single(await listener.ChangesAsync(1));
        Assert.Equal("committed", first.Reason);
    }

    [Fact]
    public async Task RunCreated_ItsChangesAreHeardOnTheRunsChannel()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (factory, database) = await CreateAsync("runs");
        await using var listener = await ListenAsync(database, PostgresStatusRelay.RunChannel);
        var runId = Guid.CreateVersion7();

        var created = await Relaying(factory).CreateRunAsync(now =>
        {
            var ledger = Enumerable.Range(0, 40).Select(i => new LedgerEntry(Guid.CreateVersion7(), runId, i, $"relay-run-{i}",
                "cutover/sample-agent:1.0", new string('d', 500), "{}", now)).ToList();
            return (new ProvisioningRun(runId, "relayed", OnFailure.Keep, 4, "test", now), ledger);
        }, "test");

        Assert.True(created.IsSuccess, created.Failure?.Detail);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        List<RunChange> heard;
        while ((heard = listener.Payloads.SelectMany(p => RunRelayMessage.Parse(p)!.Changes).ToList()).Count < 41)
            await listener.WaitAsync(timeout.Token);
        Assert.All(heard, c => Assert.Equal(runId, c.RunId));
        Assert.Equal(40, heard.Count(c => c.EntryId is not null));
        Assert.All(listener.Payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000));
    }

    /// <summary>A node's claim on a run is visible to every other node, and ends with the claim (or its node).</summary>
    [Fact]
    public async Task RunClaimedOnOneNode_IsClaimedForTheOther_UntilReleased()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var (_, database) = await CreateAsync("claims");
        var nodeA = new PostgresRunClaims(database);
        var nodeB = new PostgresRunClaims(database);
        var runId = Guid.NewGuid();

        Assert.True(await nodeB.IsUnclaimedAsync(runId, default));
        var claim = await nodeA.ClaimAsync(runId, default);
        Assert.False(await nodeB.IsUnclaimedAsync(runId, default));
        Assert.True(await nodeB.IsUnclaimedAsync(Guid.NewGuid(), default));
        await claim.DisposeAsync();
        Assert.True(await nodeB.IsUnclaimedAsync(runId, default));
    }

    private async Task<(Microsoft.EntityFrameworkCore.IDbContextFactory<Cutover.Core.Persistence.CutoverDbContext> Factory, string Database)> CreateAsync(string name)
    {
        var factory = await PostgresDatabases.CreateAsync(pg, name);
        await using var db = await factory.CreateDbContextAsync();
        return (factory, db.Database.GetConnectionString()!);
    }

    private static StatusChokepoint Relaying(Microsoft.EntityFrameworkCore.IDbContextFactory<Cutover.Core.Persistence.CutoverDbContext> factory) =>
        new(factory, new StatusBus(), new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance,
            new PostgresStatusRelay(new NodeIdentity(new ConfigurationBuilder().Build())));

    private static async Task<Listener> ListenAsync(string connectionString, string channel = PostgresStatusRelay.Channel)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var listener = new Listener(connection);
        await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
        await listen.ExecuteNonQueryAsync();
        return listener;
    }

    private sealed class Listener : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;

        public Listener(NpgsqlConnection connection)
        {
            _connection = connection;
            connection.Notification += (_, e) => Payloads.Add(e.Payload);
        }

        public List<string> Payloads { get; } = [];

        /// <summary>Waits (on the session, for notifications) until <paramref name="count"/> changes were heard.</summary>
        public async Task<List<StatusChange>> ChangesAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (Heard().Count < count) await _connection.WaitAsync(timeout.Token);
            return Heard();
        }

        public Task WaitAsync(CancellationToken cancellationToken) => _connection.WaitAsync(cancellationToken);

        private List<StatusChange> Heard() => Payloads.SelectMany(p => RelayMessage.Parse(p)!.Changes).ToList();

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
