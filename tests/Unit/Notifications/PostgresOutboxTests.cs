using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.ScaleOut;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>
/// The outbox on a real PostgreSQL shared by two "nodes" (two chokepoints with the real relay, each with its own
/// subscription list): a subscription added on one is routed by the other at once, concurrent writers each get
/// exactly their rows, and a refused change has none.
/// </summary>
public sealed class PostgresOutboxTests(PostgresServer pg) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task TwoNodes_SubscriptionFromOne_ConcurrentChangesOnTheOther_ExactlyTheirRows()
    {
        Assert.True(pg.Unavailable is null, pg.Unavailable);
        var factory = await PostgresDatabases.CreateAsync(pg, "outbox");
        var nodeA = new NotificationService(factory, new PlainSecrets(), new NotificationSubscriptions { Shared = true }, TimeProvider.System);
        var nodeB = Node(factory);
        var agents = new List<Guid>();
        for (var i = 0; i < 4; i++) agents.Add((await nodeB.EnsureAgentAsync($"pg-outbox-{i}", null, "test", default)).Id);

        var created = await nodeA.CreateAsync(new NewNotification("pg", "http://127.0.0.1:9/hook", [NotificationEvents.ProductionUnhealthy], null), "test", default);
        Assert.True(created.IsSuccess, created.Failure?.Detail);

        // Four writers per agent at once, each flipping its agent's health ten times.
        await Task.WhenAll(agents.SelectMany(a => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var outcome = await nodeB.UpdateStatusAsync<bool>(a, "prober", null, (t, _) =>
                {
                    t.SetAgentHealth(t.Agent.Health == HealthStatus.Unhealthy ? HealthStatus.Healthy : HealthStatus.Unhealthy);
                    return Task.FromResult<Outcome<bool>>(true);
                });
                Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
            }
        }))));
        var refused = await nodeB.UpdateStatusAsync<bool>(agents[0], "prober", null, (t, _) =>
        {
            t.SetAgentHealth(t.Agent.Health == HealthStatus.Unhealthy ? HealthStatus.Healthy : HealthStatus.Unhealthy);
            return Task.FromResult<Outcome<bool>>(Failure.Conflict("changed its mind"));
        });
        Assert.False(refused.IsSuccess);

        await using var db = await factory.CreateDbContextAsync();
        var unhealthy = await db.Events.AsNoTracking()
            .Where(e => e.Kind == EventKind.HealthChanged && e.DeploymentId == null && e.To == "Unhealthy").CountAsync();
        var rows = await db.Set<NotificationDelivery>().AsNoTracking().ToListAsync();
        Assert.Equal(80, unhealthy);
        Assert.Equal(unhealthy, rows.Count);
        Assert.All(rows, r => Assert.Equal(created.Value!.Id, r.SubscriptionId));
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
    }

    private static StatusChokepoint Node(Microsoft.EntityFrameworkCore.IDbContextFactory<CutoverDbContext> factory) =>
        new(factory, new StatusBus(), new OpenWriteGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance,
            new PostgresStatusRelay(new NodeIdentity(new ConfigurationBuilder().Build())), new ChangeOutbox(new NotificationSubscriptions { Shared = true }));
}
