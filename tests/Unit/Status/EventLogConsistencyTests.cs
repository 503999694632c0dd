using Cutover.Core.Domain;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Status;

/// <summary>Replaying an agent's timeline must reproduce its rows: the event log tells the same story.</summary>
public sealed class EventLogConsistencyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Timeline_ReplayedAfterRandomOperations_MatchesRows()
    {
        var random = new Random(20261122);
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "story");
        for (var step = 0; step < 150; step++)
        {
            await using var read = _db.Open();
            var ids = await read.Deployments.Where(d => d.AgentId == agent.Id).Select(d => d.Id).ToListAsync();
            var pick = ids.Count == 0 ? Guid.Empty : ids[random.Next(ids.Count)];
            switch (random.Next(7))
            {
                case 0: await Seed.ReadyAsync(_db.Deployments, "story"); break;
                case 1: await _db.Deployments.CreateAsync(agent.Id, DockerImage.Parse("registry.local/story:p"), null, "user:x", default); break;
                case 2: await _db.Deployments.PromoteAsync(agent.Id, pick, "step", "user:x", default); break;
                case 3: await _db.Deployments.RollbackAsync(agent.Id, null, "oops", "user:y", default); break;
                case 4: await _db.Deployments.DeleteAsync(agent.Id, pick, null, "user:z", default); break;
                case 5:
                    await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "probe", null, async (t, ct) =>
                    {
                        var d = await t.FindDeploymentAsync(pick, ct);
                        if (d is not null) t.SetDeploymentHealth(d, (HealthStatus)random.Next(3));
                        return true;
                    });
                    break;
                default:
                    await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "sync", null, (t, _) =>
                    {
                        t.SetSync((SyncStatus)random.Next(4), "x");
                        return Task.FromResult<Cutover.Core.Results.Outcome<bool>>(true);
                    });
                    break;
            }
        }

        await using var db = _db.Open();
        var events = await db.Events.Where(e => e.AgentId == agent.Id).OrderBy(e => e.Sequence).ToListAsync();
        var rows = await db.Deployments.Where(d => d.AgentId == agent.Id).ToDictionaryAsync(d => d.Id);
        var agentRow = await db.Agents.SingleAsync(a => a.Id == agent.Id);

        // Sequences are 1..N without gaps.
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence!.Value));
        Assert.Equal(events.Count, agentRow.LastSequence);

        var status = new Dictionary<Guid, DeploymentStatus>();
        var health = new Dictionary<Guid, HealthStatus>();
        var deleted = new HashSet<Guid>();
        var production = (Guid?)null;
        var sync = SyncStatus.Unknown;
        var agentHealth = HealthStatus.Unknown;
        foreach (var e in events)
        {
            var d = e.DeploymentId ?? Guid.Empty;
            switch (e.Kind)
            {
                case EventKind.Created: status[d] = DeploymentStatus.Pending; health[d] = HealthStatus.Unknown; break;
                case EventKind.Ready or EventKind.Failed: status[d] = Enum.Parse<DeploymentStatus>(e.To!); break;
                case EventKind.Promoted or EventKind.RolledBack: production = d; break;
                case EventKind.Demoted: if (production == d) production = null; break;
                case EventKind.Deleted: deleted.Add(d); break;
                case EventKind.SyncChanged: sync = Enum.Parse<SyncStatus>(e.To!); break;
                case EventKind.HealthChanged when e.DeploymentId is not null: health[d] = Enum.Parse<HealthStatus>(e.To!); break;
                case EventKind.HealthChanged: agentHealth = Enum.Parse<HealthStatus>(e.To!); break;
            }
        }

        Assert.Equal(rows.Keys.OrderBy(x => x), status.Keys.OrderBy(x => x));
        foreach (var (id, row) in rows)
        {
            Assert.Equal(row.Status, status[id]);
            Assert.Equal(row.Health, health[id]);
            Assert.Equal(row.IsDeleted, deleted.Contains(id));
            Assert.Equal(row.IsProduction, production == id);
        }

        Assert.Equal(agentRow.ProductionDeploymentId, production);
        Assert.Equal(agentRow.Sync, sync);
        Assert.Equal(agentRow.Health, agentHealth);
    }
}
