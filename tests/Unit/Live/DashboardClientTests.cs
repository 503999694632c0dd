using Cutover.Tests.Unit.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Results;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Hosting;
using Cutover.Tests.Unit.Live;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// The real dashboard seam over real SQLite and the status bus, on a manual clock: bursts arrive as one batch per
/// window, as typed upserts; a reconnection asks for a reload; "last seen" stamps are published, not polled by pages.
/// </summary>
public sealed class DashboardClientTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManualTimersTimeProvider _time = new();
    private readonly TestDatabase _db;
    private readonly CircuitConnection _connection = new();
    private readonly LastSeenFeed _feed;
    private readonly DashboardClient _client;
    private readonly List<IReadOnlyList<DashboardChange>> _batches = [];

    public DashboardClientTests()
    {
        _db = new TestDatabase(_time);
        _feed = RealDashboard.Feed(_db, _time);
        _client = new DashboardClient(new(_db.Factory), new(_db.Factory), _db.Factory, _db.Bus, _db.Deployments,
            Deployments.DeploymentLauncherTests.Create(_db, new Runtime.FakeRuntime(_db.Deployments), TimeSpan.FromSeconds(30)),
            _feed, _connection, new DatabaseInfo("SQLite", _db.Path), RealDashboard.Node, _time, RealDashboard.Traffic(_time),
            new Core.Guards.GuardService(_db.Chokepoint, _db.Factory), NullLogger<DashboardClient>.Instance);
    }

    [Fact]
    public async Task Subscribe_BurstOfChanges_OneBatchWithOneUpsertPerAgentAndEveryEvent()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "burst-bot");
        await using var subscription = _client.Subscribe(null, Direct, Collect);

        foreach (var health in new[] { HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Healthy, HealthStatus.Unhealthy })
            await SetHealthAsync(agent.Id, health);
        await DeliverAsync();

        var batch = Assert.Single(_batches);
        var upsert = Assert.Single(batch.OfType<AgentStatusChanged>());
        Assert.Equal(HealthStatus.Unhealthy, upsert.State.Health);
        Assert.Equal(["Unknown→Healthy", "Healthy→Unhealthy", "Unhealthy→Healthy", "Healthy→Unhealthy"],
            batch.OfType<TimelineEventAdded>().Select(e => $"{e.Event.From}→{e.Event.To}"));
        Assert.All(batch.OfType<TimelineEventAdded>(), e => Assert.Equal("burst-bot", e.Event.AgentName));
    }

    [Fact]
    public async Task Subscribe_OneAgentPromoted_HeaderAndBothDeploymentRowsUpserted()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "promo-bot");
        var (_, second) = await Seed.ReadyAsync(_db.Deployments, "promo-bot");
        await using var subscription = _client.Subscribe(agent.Id, Direct, Collect);

        Assert.True((await _db.Deployments.PromoteAsync(agent.Id, second.Id, "go", "user:ops", default)).IsSuccess);
        await DeliverAsync();

        var batch = Assert.Single(_batches);
        var header = Assert.Single(batch.OfType<AgentUpserted>());
        Assert.Equal(second.Id, header.Agent.Production?.Id);
        var rows = batch.OfType<DeploymentUpserted>().ToDictionary(d => d.Deployment.Id, d => d.Deployment.IsProduction);
        Assert.True(rows[second.Id]);
        if (rows.TryGetValue(first.Id, out var firstIsProduction)) Assert.False(firstIsProduction);
    }

    [Fact]
    public async Task Reconnected_AfterConnectionDrop_SubscriptionIsToldToReload()
    {
        await using var subscription = _client.Subscribe(null, Direct, Collect);

        await _connection.OnConnectionUpAsync(null!, default);
        Assert.Empty(_batches); // the circuit opening is not a reconnection
        await _connection.OnConnectionDownAsync(null!, default);
        await _connection.OnConnectionUpAsync(null!, default);

        await WaitUntilAsync(() => _batches.Count == 1);
        Assert.Equal("reconnected", Assert.IsType<SnapshotStale>(Assert.Single(_batches[0])).Reason);
    }

    [Fact]
    public async Task LastSeenFeed_StampWithoutStatusChange_PublishedOnceAsAnUpsert()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "seen-bot");
        var since = _time.UtcNow;
        await using var subscription = _client.Subscribe(agent.Id, Direct, Collect);
        _time.Advance(TimeSpan.FromSeconds(5));
        await using (var db = _db.Open()) Assert.Equal(1, await HealthStamps.StampAgentAsync(db, agent.Id, null, _time.UtcNow, default));

        var next = await _feed.PublishSinceAsync(since, default);
        await _feed.PublishSinceAsync(next, default); // nothing new: nothing published again

        await WaitUntilAsync(() => _batches.Count >= 1);
        var seen = Assert.IsType<AgentSeen>(Assert.Single(Assert.Single(_batches)));
        Assert.Equal((agent.Id, _time.UtcNow), (seen.AgentId, seen.LastSeenAt));
    }

    [Fact]
    public async Task Dispose_StopsDelivering()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "gone-bot");
        var subscription = _client.Subscribe(null, Direct, Collect);
        await subscription.DisposeAsync();

        await SetHealthAsync(agent.Id, HealthStatus.Healthy);
        await _connection.OnConnectionDownAsync(null!, default);
        await _connection.OnConnectionUpAsync(null!, default);

        Assert.Empty(_batches);
    }

    private Task Direct(Func<Task> work) => work();

    private Task Collect(IReadOnlyList<DashboardChange> batch)
    {
        lock (_batches) _batches.Add(batch);
        return Task.CompletedTask;
    }

    /// <summary>The listener waits one batch window on the manual clock: let it start waiting, then move the clock.</summary>
    private async Task DeliverAsync()
    {
        await WaitUntilAsync(() => _time.PendingTimers == 1);
        _time.Advance(LiveStatusListener.DefaultBatchWindow);
        await WaitUntilAsync(() => _batches.Count > 0);
    }

    private Task SetHealthAsync(Guid agentId, HealthStatus health) =>
        _db.Chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(health);
            return Task.FromResult<Outcome<bool>>(true);
        });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(5, deadline.Token);
        }
    }

    public void Dispose() => _db.Dispose();
}
