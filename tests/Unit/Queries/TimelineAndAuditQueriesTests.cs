using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Queries;

/// <summary>Timeline and audit reads over events written by the real DeploymentService into real SQLite.</summary>
public sealed class TimelineAndAuditQueriesTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly AgentQueries _agents;
    private readonly AuditQueries _audit;

    public TimelineAndAuditQueriesTests()
    {
        _agents = new AgentQueries(_db.Factory);
        _audit = new AuditQueries(_db.Factory);
    }

    [Fact]
    public async Task TimelineAsync_AfterPromote_NewestFirstAndPagesBackBySequence()
    {
        var (agentId, _, second) = await SeedAsync("orders");
        await _db.Deployments.PromoteAsync(agentId, second, "release 2", "user:alice", CancellationToken.None);

        var newest = await _agents.TimelineAsync(agentId, null, 3, CancellationToken.None);
        var older = await _agents.TimelineAsync(agentId, newest[^1].Sequence, 3, CancellationToken.None);

        Assert.Equal(EventKind.Promoted, newest[0].Kind);
        Assert.Equal("user:alice", newest[0].Actor);
        Assert.Equal("release 2", newest[0].Reason);
        Assert.Equal(second, newest[0].DeploymentId);
        var sequences = newest.Concat(older).Select(e => e.Sequence!.Value).ToList();
        Assert.Equal(sequences.OrderByDescending(s => s), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task TimelineSinceAsync_AfterTheNewestShown_ReturnsOnlyNewerEvents()
    {
        var (agentId, first, second) = await SeedAsync("orders");
        var shown = await _agents.TimelineAsync(agentId, null, 100, CancellationToken.None);

        await _db.Deployments.PromoteAsync(agentId, second, null, "user:alice", CancellationToken.None);
        var fresh = await _agents.TimelineSinceAsync(agentId, shown[0].Sequence!.Value, CancellationToken.None);

        Assert.Equal([EventKind.Promoted, EventKind.Demoted], fresh.Select(e => e.Kind).Order());
        Assert.All(fresh, e => Assert.True(e.Sequence > shown[0].Sequence));
        Assert.Contains(fresh, e => e.Kind == EventKind.Demoted && e.DeploymentId == first);
    }

    [Fact]
    public async Task ListAsync_Filters_ByAgentKindActorTimeAndSecurityOnly()
    {
        var (orders, _, second) = await SeedAsync("orders");
        await SeedAsync("billing");
        await _db.Deployments.PromoteAsync(orders, second, "release 2", "user:alice", CancellationToken.None);
        await using (var db = _db.Open())
        {
            db.Events.Add(TimelineEvent.Audit(EventKind.SignInFailed, "user:mallory", "Wrong password", "mallory", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        var all = await _audit.ListAsync(new AuditRequest(Take: 200), CancellationToken.None);
        var byAgent = await _audit.ListAsync(new AuditRequest(AgentId: orders, Take: 200), CancellationToken.None);
        var byName = await _audit.ListAsync(new AuditRequest(AgentName: "BILL", Take: 200), CancellationToken.None);
        var promotions = await _audit.ListAsync(new AuditRequest(Kind: EventKind.Promoted), CancellationToken.None);
        var alice = await _audit.ListAsync(new AuditRequest(Actor: "alice"), CancellationToken.None);
        var security = await _audit.ListAsync(new AuditRequest(SecurityOnly: true), CancellationToken.None);
        var future = await _audit.ListAsync(new AuditRequest(From: DateTime.UtcNow.AddHours(1)), CancellationToken.None);

        Assert.Equal(all.Total, all.Items.Count);
        Assert.Equal(all.Items.OrderByDescending(e => e.At).Select(e => e.Id), all.Items.Select(e => e.Id));
        Assert.All(byAgent.Items, e => Assert.Equal("orders", e.AgentName));
        Assert.All(byName.Items, e => Assert.Equal("billing", e.AgentName));
        Assert.Equal(all.Total - 1, byAgent.Total + byName.Total);
        Assert.Equal(3, promotions.Total); // the first deployment of each agent, and the promote
        Assert.Equal(2, alice.Total);      // the promote and the demote it wrote
        var failed = Assert.Single(security.Items);
        Assert.Null(failed.AgentId);
        Assert.Equal(EventKind.SignInFailed, failed.Kind);
        Assert.Equal(0, future.Total);
    }

    [Fact]
    public async Task ListAsync_SecondPage_SkipsTheFirstAndKeepsTheTotal()
    {
        await SeedAsync("orders");
        var first = await _audit.ListAsync(new AuditRequest(Take: 3), CancellationToken.None);
        var second = await _audit.ListAsync(new AuditRequest(Skip: 3, Take: 3), CancellationToken.None);

        Assert.Equal(first.Total, second.Total);
        Assert.Empty(first.Items.Select(e => e.Id).Intersect(second.Items.Select(e => e.Id)));
    }

    private async Task<(Guid AgentId, Guid First, Guid Second)> SeedAsync(string name)
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        Guid agentId = default;
        foreach (var (id, tag) in new[] { (first, "1"), (second, "2") })
        {
            var outcome = await _db.Deployments.RegisterAsync(
                new RegisterCommand(name, null, $"http://127.0.0.1:9/{name}/{tag}", id, $"registry.local/{name}:{tag}", "{}"),
                "token:ci", CancellationToken.None);
            agentId = outcome.Value!.Agent.Id;
        }

        return (agentId, first, second);
    }

    public void Dispose() => _db.Dispose();
}
