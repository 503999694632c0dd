using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// The reference: the rows a health flip through the chokepoint writes (the agent's health and sequence, one
/// timeline event), written by the plainest EF Core code: a context, a transaction, read the agent, change it, add
/// the event, SaveChanges, commit. One writer at a time, as any code writing SQLite from one process must (two
/// deferred transactions that both write fail with SQLITE_BUSY); no transition table, no publishing.
/// </summary>
internal sealed class PlainEfLoop(IDbContextFactory<CutoverDbContext> factory)
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task FlipAsync(Guid agentId)
    {
        await _writer.WaitAsync();
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var agent = await db.Agents.FirstAsync(a => a.Id == agentId);
            var (from, to) = agent.Health == HealthStatus.Healthy
                ? (HealthStatus.Healthy, HealthStatus.Unhealthy)
                : (agent.Health, HealthStatus.Healthy);
            agent.WriteHealth(to);
            var sequence = agent.NextSequence();
            db.Events.Add(new TimelineEvent(agentId, null, EventKind.HealthChanged, "bench", null, from.ToString(), to.ToString(),
                DateTime.UtcNow, sequence));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        finally
        {
            _writer.Release();
        }
    }
}
