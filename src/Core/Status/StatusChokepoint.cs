using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Status;

/// <summary>
/// Every status change goes through <see cref="UpdateStatusAsync{T}"/>: it runs the change inside one transaction
/// (the change writes the rows and the timeline events through <see cref="StatusTransaction"/>), commits, and only
/// then publishes the changes. A change that fails or throws publishes nothing. On SQLite, concurrent calls are
/// committed together by <see cref="StatusWriteQueue"/> (group commit) with the same guarantees per call.
/// </summary>
public sealed class StatusChokepoint : IAsyncDisposable
{
    private const int MaxAttempts = 20;
    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private readonly IDbContextFactory<CutoverDbContext> _dbFactory;
    private readonly StatusBus _bus;
    private readonly IWriteGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<StatusChokepoint> _logger;

    /// <summary>Group commit where the database has one writer anyway (SQLite); null: every call writes on its own.</summary>
    private readonly StatusWriteQueue? _queue;

    public StatusChokepoint(
        IDbContextFactory<CutoverDbContext> dbFactory,
        StatusBus bus,
        IWriteGate gate,
        TimeProvider time,
        ILogger<StatusChokepoint> logger)
    {
        _dbFactory = dbFactory;
        _bus = bus;
        _gate = gate;
        _time = time;
        _logger = logger;
        // PostgreSQL (OpenWriteGate) runs writers of different agents in parallel under row locks; batching would
        // serialize them. A single-writer gate means SQLite, where writes queue anyway and batching is pure gain.
        _queue = gate is SingleWriterGate ? new StatusWriteQueue(dbFactory, bus, gate, time, this, logger) : null;
    }

    /// <summary>Closes the group-commit writer's connection (the container calls this at shutdown).</summary>
    public ValueTask DisposeAsync() => _queue?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Diagnostics only (tests, benchmark): group-commit batches, the calls they held, and replayed batches.</summary>
    internal (long Batches, long Items, long Replayed) WriteCounts => _queue?.Counts ?? default;

    /// <summary>
    /// Applies <paramref name="change"/> to agent <paramref name="agentId"/> atomically. The caller's token is
    /// honoured only until the write begins: once started (queued, on SQLite), a write runs to its end, so a
    /// cancelled or timed-out caller never leaves a half-done or "Syncing forever" state. A concurrent writer on
    /// another node makes the agent's sequence token fail; the change is then re-read and re-decided. The change
    /// may run more than once (a retry, or a replay after another change of its batch failed), so it must decide
    /// from what it reads through the transaction and not carry state between runs.
    /// </summary>
    public async Task<Outcome<T>> UpdateStatusAsync<T>(
        Guid agentId,
        string actor,
        string? reason,
        Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_queue is not null)
        {
            var item = new StatusWorkItem<T>(agentId, actor, reason, change);
            _queue.Enqueue(item);
            return await item.Task.ConfigureAwait(false);
        }

        using var entered = await _gate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
        return await WriteAloneAsync(agentId, actor, reason, change).ConfigureAwait(false);
    }

    /// <summary>
    /// One call in its own context and transaction, retried on a concurrent writer. The caller holds the write gate
    /// (the group-commit writer does, when it replays a failed batch one call at a time).
    /// </summary>
    internal async Task<Outcome<T>> WriteAloneAsync<T>(
        Guid agentId,
        string actor,
        string? reason,
        Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            var write = CancellationToken.None;
            await using var db = await _dbFactory.CreateDbContextAsync(write).ConfigureAwait(false);
            await using var tx = await db.Database.BeginTransactionAsync(write).ConfigureAwait(false);
            var agent = await LoadAgentForWriteAsync(db, agentId, write).ConfigureAwait(false);
            if (agent is null) return Failure.NotFound($"No agent with id {agentId}.");

            var t = new StatusTransaction(db, agent, actor, reason, _time.GetUtcNow().UtcDateTime);
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
                _logger.LogDebug("Concurrent status change on agent {AgentId}; attempt {Attempt} re-reads", agentId, attempt);
                continue;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                // A unique key clash with a concurrent writer on another connection (e.g. two nodes creating the
                // same deployment id): re-read and decide again, never a 500 for the caller.
                _logger.LogDebug(e, "Status change on agent {AgentId} clashed; attempt {Attempt} re-reads", agentId, attempt);
                continue;
            }

            _bus.Publish(AgentLiveState.From(agent), t.Changes);
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
            await using (var read = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                var existing = await read.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, cancellationToken).ConfigureAwait(false);
                if (existing is not null) return existing;
            }

            using var entered = await _gate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
            await using var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            var now = _time.GetUtcNow().UtcDateTime;
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

            _bus.Publish(AgentLiveState.From(agent),
                [new StatusChange(agent.Id, null, "agent", null, name, sequence, now, EventKind.Registered, actor, "Agent created")]);
            return agent;
        }
    }
}
