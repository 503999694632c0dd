using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Status;

/// <summary>
/// Every status change goes through <see cref="UpdateStatusAsync{T}"/>: it runs the change inside one transaction
/// (the change writes the rows and the timeline events through <see cref="StatusTransaction"/>), commits, and only
/// then publishes the changes. A change that fails or throws publishes nothing.
/// </summary>
public sealed class StatusChokepoint(
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    IWriteGate gate,
    TimeProvider time,
    ILogger<StatusChokepoint> logger)
{
    private const int MaxAttempts = 20;
    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Applies <paramref name="change"/> to agent <paramref name="agentId"/> atomically. The caller's token is
    /// honoured only until the write begins: once started, a write runs to its end, so a cancelled or timed-out
    /// caller never leaves a half-done or "Syncing forever" state. A concurrent writer on another node makes the
    /// agent's sequence token fail; the change is then re-read and re-decided.
    /// </summary>
    public async Task<Outcome<T>> UpdateStatusAsync<T>(
        Guid agentId,
        string actor,
        string? reason,
        Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (var attempt = 1; ; attempt++)
        {
            using var entered = await gate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
            var write = CancellationToken.None;
            await using var db = await dbFactory.CreateDbContextAsync(write).ConfigureAwait(false);
            await using var tx = await db.Database.BeginTransactionAsync(write).ConfigureAwait(false);
            var agent = await LoadAgentForWriteAsync(db, agentId, write).ConfigureAwait(false);
            if (agent is null) return Failure.NotFound($"No agent with id {agentId}.");

            var t = new StatusTransaction(db, agent, actor, reason, time.GetUtcNow().UtcDateTime);
            Outcome<T> outcome;
            try
            {
                outcome = await change(t, write).ConfigureAwait(false);
                if (!outcome.IsSuccess)
                {
                    await tx.RollbackAsync(write).ConfigureAwait(false);
                    return outcome;
                }

                await db.SaveChangesAsync(write).ConfigureAwait(false);
                await tx.CommitAsync(write).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Concurrent status change on agent {AgentId}; attempt {Attempt} re-reads", agentId, attempt);
                continue;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                // A unique key clash with a concurrent writer on another connection (e.g. two nodes creating the
                // same deployment id): re-read and decide again, never a 500 for the caller.
                logger.LogDebug(e, "Status change on agent {AgentId} clashed; attempt {Attempt} re-reads", agentId, attempt);
                continue;
            }

            bus.Publish(AgentLiveState.From(agent), t.Changes);
            return outcome;
        }
    }

    /// <summary>
    /// Reads the agent inside the transaction. On PostgreSQL the row is locked (FOR UPDATE) so writers of one agent
    /// queue behind each other instead of racing to the same event sequence number; writers of different agents
    /// still run in parallel. On SQLite the transaction is already exclusive (BEGIN IMMEDIATE behind the write gate).
    /// </summary>
    private static Task<Agent?> LoadAgentForWriteAsync(CutoverDbContext db, Guid agentId, CancellationToken cancellationToken) =>
        db.Database.ProviderName == PostgresProvider
            ? db.Agents.FromSqlInterpolated($"SELECT * FROM \"Agents\" WHERE \"Id\" = {agentId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken)
            : db.Agents.FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);

    /// <summary>
    /// Creates an agent by name, or returns the existing one. Two first registrations racing on one name end in one
    /// row: the unique index refuses the second insert, which then reads the winner.
    /// </summary>
    public async Task<Agent> EnsureAgentAsync(string name, string? description, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using (var read = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                var existing = await read.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, cancellationToken).ConfigureAwait(false);
                if (existing is not null) return existing;
            }

            using var entered = await gate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            var now = time.GetUtcNow().UtcDateTime;
            var agent = new Agent(Guid.CreateVersion7(), name, description, now);
            db.Agents.Add(agent);
            var sequence = agent.NextSequence();
            db.Events.Add(new TimelineEvent(agent.Id, null, EventKind.Registered, actor, "Agent created", null, name, now, sequence));
            try
            {
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Most likely another registration created the same name first; the next pass reads it.
                continue;
            }

            bus.Publish(AgentLiveState.From(agent),
                [new StatusChange(agent.Id, null, "agent", null, name, sequence, now, EventKind.Registered, actor, "Agent created")]);
            return agent;
        }
    }
}
