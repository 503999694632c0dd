using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Notifications;

/// <summary>
/// The outbox rows are written by the chokepoint in the change's own transaction: a committed change has them, a
/// refused or failed one has none, and a subscription created after the list was cached is routed to at once.
/// Real SQLite, the real chokepoint, the real outbox.
/// </summary>
public sealed class OutboxTransactionTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly NotificationSubscriptions _subscriptions = new();
    private readonly NotificationService _service;

    public OutboxTransactionTests() => _service = new NotificationService(_db.Factory, new PlainSecrets(), _subscriptions, TimeProvider.System);

    public void Dispose() => _db.Dispose();

    private StatusChokepoint Chokepoint(IStatusRelay? relay = null) =>
        new(_db.Factory, _db.Bus, _db.Gate, TimeProvider.System, NullLogger<StatusChokepoint>.Instance, relay, new ChangeOutbox(_subscriptions));

    private async Task<Guid> SubscribeAsync(string name, params string[] events)
    {
        var created = await _service.CreateAsync(new NewNotification(name, "http://127.0.0.1:9/hook", events, "s3cret-value"), "test", default);
        Assert.True(created.IsSuccess, created.Failure?.Detail);
        return created.Value!.Id;
    }

    private async Task<List<NotificationDelivery>> RowsAsync()
    {
        await using var db = _db.Open();
        return await db.Set<NotificationDelivery>().AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync();
    }

    private static Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> Health(HealthStatus to) => (t, _) =>
    {
        t.SetAgentHealth(to, "probe failed: 503");
        return Task.FromResult<Outcome<bool>>(true);
    };

    [Fact]
    public async Task CommittedChange_WritesOneRowPerSubscriptionThatWantsIt()
    {
        var wantsHealth = await SubscribeAsync("health", NotificationEvents.ProductionUnhealthy, NotificationEvents.DeployFailed);
        await SubscribeAsync("promotions", NotificationEvents.Promoted);
        var chokepoint = Chokepoint();
        var agent = await chokepoint.EnsureAgentAsync("outbox-bot", null, "test", default);

        var outcome = await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));

        Assert.True(outcome.IsSuccess);
        var row = Assert.Single(await RowsAsync());
        Assert.Equal(wantsHealth, row.SubscriptionId);
        Assert.Equal(NotificationEvents.ProductionUnhealthy, row.Event);
        Assert.Equal(DeliveryStatus.Pending, row.Status);
        using var body = JsonDocument.Parse(row.Body);
        Assert.Equal(row.Id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal("productionUnhealthy", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("outbox-bot", body.RootElement.GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal(agent.Id, body.RootElement.GetProperty("agent").GetProperty("id").GetGuid());
        Assert.Equal("prober", body.RootElement.GetProperty("actor").GetString());
        Assert.Equal("probe failed: 503", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal("*outbox-bot*: production (the deployment) is Unhealthy (was Unknown): probe failed: 503",
            body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task RefusedChange_EnqueuesNothing()
    {
        await SubscribeAsync("health", NotificationEvents.ProductionUnhealthy);
        var chokepoint = Chokepoint();
        var agent = await chokepoint.EnsureAgentAsync("refused-bot", null, "test", default);

        var outcome = await chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Unhealthy);
            return Task.FromResult<Outcome<bool>>(Failure.Conflict("refused after the write"));
        });

        Assert.False(outcome.IsSuccess);
        Assert.Empty(await RowsAsync());
    }

    /// <summary>
    /// The relay runs after the outbox and before commit: when it throws, the outbox rows that were already saved
    /// in the transaction roll back with the change. Proof that they share the transaction.
    /// </summary>
    [Fact]
    public async Task ChangeThatFailsToCommit_LeavesNeitherTheChangeNorItsRows()
    {
        await SubscribeAsync("health", NotificationEvents.ProductionUnhealthy);
        var agent = await Chokepoint().EnsureAgentAsync("rollback-bot", null, "test", default);
        var failing = Chokepoint(new ThrowingRelay());

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy)));

        Assert.Empty(await RowsAsync());
        await using var db = _db.Open();
        Assert.Equal(HealthStatus.Unknown, (await db.Agents.AsNoTracking().SingleAsync(a => a.Id == agent.Id)).Health);
    }

    [Fact]
    public async Task SubscriptionCreatedAfterTheListWasCached_GetsTheNextEvent_AndARemovedOneDoesNot()
    {
        var chokepoint = Chokepoint();
        var agent = await chokepoint.EnsureAgentAsync("cache-bot", null, "test", default);
        // With nobody subscribed the empty list is read once and cached.
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Healthy));
        Assert.Empty(await RowsAsync());

        var id = await SubscribeAsync("late", NotificationEvents.ProductionUnhealthy);
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
        Assert.Equal(id, Assert.Single(await RowsAsync()).SubscriptionId);

        Assert.True((await _service.DeleteAsync(id, default)).IsSuccess);
        Assert.Empty(await RowsAsync());
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Healthy));
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
        Assert.Empty(await RowsAsync());
    }

    /// <summary>
    /// Several nodes (PostgreSQL): a subscription added on another node invalidates only that node's memory, so here
    /// the list is read in the transaction (<see cref="NotificationSubscriptions.Shared"/>) and the next event reaches it.
    /// </summary>
    [Fact]
    public async Task SharedDatabase_SubscriptionAddedOnAnotherNode_GetsTheNextEvent()
    {
        var here = new NotificationSubscriptions { Shared = true };
        var chokepoint = new StatusChokepoint(_db.Factory, _db.Bus, _db.Gate, TimeProvider.System, NullLogger<StatusChokepoint>.Instance, null, new ChangeOutbox(here));
        var agent = await chokepoint.EnsureAgentAsync("shared-bot", null, "test", default);
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Healthy));

        // Created through the other node's service (its own cache, _subscriptions): nothing tells this node.
        var id = await SubscribeAsync("elsewhere", NotificationEvents.ProductionUnhealthy);
        await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));

        Assert.Equal(id, Assert.Single(await RowsAsync()).SubscriptionId);
    }

    [Fact]
    public async Task DeployFailedAndPromoted_RaiseTheirEvents_WithTheImage()
    {
        await SubscribeAsync("all", [.. NotificationEvents.All]);
        var chokepoint = Chokepoint();
        var agent = await chokepoint.EnsureAgentAsync("deploy-bot", null, "test", default);
        var good = Guid.CreateVersion7();
        var bad = Guid.CreateVersion7();

        await chokepoint.UpdateStatusAsync<bool>(agent.Id, "alice", "release 2", async (t, ct) =>
        {
            var d = t.CreateDeployment(good, DockerImage.Parse("cutover/sample-agent:2.0"), "{}");
            t.SetDeploymentStatus(d, DeploymentStatus.Ready);
            return await t.SetProductionAsync(d, EventKind.Promoted, ct) is { } f ? f : true;
        });
        await chokepoint.UpdateStatusAsync<bool>(agent.Id, "ci", null, (t, _) =>
        {
            var d = t.CreateDeployment(bad, DockerImage.Parse("cutover/sample-agent:2.1"), "{}");
            t.SetDeploymentStatus(d, DeploymentStatus.Failed, "exited with code 1");
            return Task.FromResult<Outcome<bool>>(true);
        });

        var rows = await RowsAsync();
        Assert.Equal([NotificationEvents.Promoted, NotificationEvents.DeployFailed], rows.Select(r => r.Event));
        using var promoted = JsonDocument.Parse(rows[0].Body);
        Assert.Equal(good, promoted.RootElement.GetProperty("deploymentId").GetGuid());
        Assert.Equal("cutover/sample-agent:2.0", promoted.RootElement.GetProperty("image").GetString());
        Assert.StartsWith("*deploy-bot*: promoted cutover/sample-agent:2.0 (", promoted.RootElement.GetProperty("text").GetString());
        using var failed = JsonDocument.Parse(rows[1].Body);
        Assert.Equal(bad, failed.RootElement.GetProperty("deploymentId").GetGuid());
        Assert.EndsWith("failed: exited with code 1", failed.RootElement.GetProperty("text").GetString());
    }

    /// <summary>A guard's revert is recorded as an AutoReverted production change (the guard code's own path).</summary>
    [Fact]
    public async Task GuardRevert_RaisesAutoReverted_WithTheEvidenceAsReason()
    {
        await SubscribeAsync("reverts", NotificationEvents.AutoReverted);
        var chokepoint = Chokepoint();
        var agent = await chokepoint.EnsureAgentAsync("revert-bot", null, "test", default);
        var good = Guid.CreateVersion7();
        var bad = Guid.CreateVersion7();
        foreach (var (id, tag) in new[] { (good, "1.0"), (bad, "2.0") })
        {
            await chokepoint.UpdateStatusAsync<bool>(agent.Id, "alice", null, async (t, ct) =>
            {
                var d = t.CreateDeployment(id, DockerImage.Parse($"cutover/sample-agent:{tag}"), "{}");
                t.SetDeploymentStatus(d, DeploymentStatus.Ready);
                return await t.SetProductionAsync(d, EventKind.Promoted, ct) is { } f ? f : true;
            });
        }

        var reverted = await chokepoint.UpdateStatusAsync<bool>(agent.Id, "guard", "error rate 42% over 5% with 120 requests", async (t, ct) =>
            await t.SetProductionAsync((await t.FindDeploymentAsync(good, ct))!, EventKind.AutoReverted, ct) is { } f ? f : true);

        Assert.True(reverted.IsSuccess, reverted.Failure?.Detail);
        var row = Assert.Single(await RowsAsync());
        using var body = JsonDocument.Parse(row.Body);
        Assert.Equal("autoReverted", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(good, body.RootElement.GetProperty("deploymentId").GetGuid());
        Assert.Equal("guard", body.RootElement.GetProperty("actor").GetString());
        Assert.Equal($"*revert-bot*: a guard reverted production to cutover/sample-agent:1.0 ({good.ToString("N")[^8..]}): error rate 42% over 5% with 120 requests",
            body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task RunThatFails_RaisesProvisioningFailed_Once()
    {
        await SubscribeAsync("runs", NotificationEvents.ProvisioningFailed);
        var chokepoint = Chokepoint();
        var runId = Guid.CreateVersion7();
        var created = await chokepoint.CreateRunAsync(now =>
            (new ProvisioningRun(runId, "fleet-a", OnFailure.Keep, 2, "alice", now),
                [new LedgerEntry(Guid.CreateVersion7(), runId, 0, "fleet-a-1", "cutover/sample-agent:1.0", null, "{}", now)]), "alice");
        Assert.True(created.IsSuccess, created.Failure?.Detail);
        Assert.Empty(await RowsAsync());

        var failed = await chokepoint.UpdateRunAsync<bool>(runId, "provisioner", null, (t, _) =>
            Task.FromResult<Outcome<bool>>(t.SetStatus(RunStatus.Failed, "wake timed out") is { } f ? f : true));

        Assert.True(failed.IsSuccess, failed.Failure?.Detail);
        var row = Assert.Single(await RowsAsync());
        Assert.Equal(NotificationEvents.ProvisioningFailed, row.Event);
        using var body = JsonDocument.Parse(row.Body);
        Assert.Equal("fleet-a", body.RootElement.GetProperty("run").GetProperty("name").GetString());
        Assert.Equal("Provisioning run *fleet-a* failed: wake timed out", body.RootElement.GetProperty("text").GetString());
    }

    /// <summary>With nobody subscribed, a change that raises an event costs the chokepoint no statement beyond its own.</summary>
    [Fact]
    public async Task NoSubscriptions_EventsCostNoExtraStatement()
    {
        var counter = new CommandCounter();
        var counted = new ContextFactory(new DbContextOptionsBuilder<CutoverDbContext>(TestDatabase.BuildOptions(_db.ConnectionString)).AddInterceptors(counter).Options);
        var with = new StatusChokepoint(counted, _db.Bus, _db.Gate, TimeProvider.System, NullLogger<StatusChokepoint>.Instance, null, new ChangeOutbox(_subscriptions));
        var without = new StatusChokepoint(counted, _db.Bus, _db.Gate, TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
        var agent = await with.EnsureAgentAsync("quiet-bot", null, "test", default);
        await with.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
        await with.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Healthy));

        async Task<int> CountAsync(StatusChokepoint chokepoint)
        {
            var before = counter.Count;
            for (var i = 0; i < 5; i++)
            {
                await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Unhealthy));
                await chokepoint.UpdateStatusAsync(agent.Id, "prober", null, Health(HealthStatus.Healthy));
            }

            return counter.Count - before;
        }

        var withOutbox = await CountAsync(with);
        var withoutOutbox = await CountAsync(without);

        Assert.True(withoutOutbox > 0);
        Assert.Equal(withoutOutbox, withOutbox);
        Assert.Empty(await RowsAsync());
    }

    private sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class ThrowingRelay : IStatusRelay
    {
        public Task SendAsync(CutoverDbContext db, AgentLiveState state, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the relay broke before commit");

        public Task SendRunAsync(CutoverDbContext db, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the relay broke before commit");
    }
}
