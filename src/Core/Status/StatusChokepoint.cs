using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Status;

/// <summary>
/// Every status change goes through <see cref="UpdateStatusAsync{T}"/>, and every agent is created through
/// <see cref="EnsureAgentAsync"/>, on one path: write gate → context → transaction → change (which writes rows and
/// timeline events through <see cref="StatusTransaction"/>) → SaveChanges → the notification outbox's rows (see
/// <see cref="IChangeOutbox"/>) → relay to the other nodes (inside the transaction, see <see cref="IStatusRelay"/>)
/// → commit → publish. A change that fails or throws publishes nothing.
/// The shape of Aspire's ResourceNotificationService, with EF Core as the store.
/// </summary>
public sealed class StatusChokepoint(
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    IWriteGate gate,
    TimeProvider time,
    ILogger<StatusChokepoint> logger,
    IStatusRelay? relay = null,
    IChangeOutbox? outbox = null)
{
    private const int MaxAttempts = 10;
    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Applies <paramref name="change"/> to agent <paramref name="agentId"/> atomically. The caller's token is
    /// honoured only until the write begins: once started, a write runs to its end, so a cancelled or timed-out
    /// caller never leaves a half-done or "Syncing forever" state. The change runs once per attempt; a new attempt
    /// (a fresh context that re-reads everything) happens only after a real concurrency conflict (see
    /// <see cref="WriteConflict"/>), so the change must decide from what it reads through the transaction.
    /// </summary>
    public Task<Outcome<T>> UpdateStatusAsync<T>(
        Guid agentId,
        string actor,
        string? reason,
        Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(agentId, (db, _, ct) => LoadAgentForWriteAsync(db, agentId, ct), actor, reason, change);
    }

    /// <summary>
    /// Creates an agent by name, or returns the existing one, on the same path as every status change. Two first
    /// registrations racing on one name end in one row: the unique index refuses the second insert (a conflict),
    /// whose next attempt reads the winner.
    /// </summary>
    public async Task<Agent> EnsureAgentAsync(string name, string? description, string actor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = await WriteAsync<Agent>(name, (db, now, ct) => FindOrAddAgentAsync(db, name, description, now, ct), actor,
            "Agent created", (t, _) =>
            {
                if (t.AgentIsNew) t.AgentCreated();
                return Task.FromResult<Outcome<Agent>>(t.Agent);
            }).ConfigureAwait(false);
        return outcome.Value!;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to provisioning run <paramref name="runId"/> (its status, its ledger, the
    /// agents it creates) on the same path as every status change: one transaction, commit, then publish the run's
    /// changes and those of every agent it created.
    /// </summary>
    public Task<Outcome<T>> UpdateRunAsync<T>(
        Guid runId,
        string actor,
        string? reason,
        Func<RunTransaction, CancellationToken, Task<Outcome<T>>> change,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return CommitAsync(runId,
            async (db, now, ct) => await LoadRunForWriteAsync(db, runId, ct).ConfigureAwait(false) is { } run
                ? new RunTransaction(db, run, actor, reason, now)
                : null,
            change, t => t.AgentTransactions, t => t.Changes, () => Failure.NotFound($"No provisioning run with id {runId}."));
    }

    /// <summary>Creates a run Running with its ledger rows Pending, in one transaction, and publishes them.</summary>
    public Task<Outcome<ProvisioningRun>> CreateRunAsync(
        Func<DateTime, (ProvisioningRun Run, IReadOnlyList<LedgerEntry> Ledger)> make,
        string actor,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LedgerEntry> ledger = [];
        return CommitAsync<RunTransaction, ProvisioningRun>("a new run",
            (db, now, _) =>
            {
                var made = make(now);
                ledger = made.Ledger;
                db.ProvisioningRuns.Add(made.Run);
                return Task.FromResult<RunTransaction?>(new RunTransaction(db, made.Run, actor, "Provisioning run started", now));
            },
            (t, _) =>
            {
                t.RunCreated();
                t.AddLedger(ledger);
                return Task.FromResult<Outcome<ProvisioningRun>>(t.Run);
            },
            t => t.AgentTransactions, t => t.Changes, () => Failure.NotFound("The run could not be created."));
    }

    private Task<Outcome<T>> WriteAsync<T>(
        object target,
        Func<CutoverDbContext, DateTime, CancellationToken, Task<Agent?>> open,
        string actor,
        string? reason,
        Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change) =>
        CommitAsync(target,
            async (db, now, ct) => await open(db, now, ct).ConfigureAwait(false) is { } agent
                ? new StatusTransaction(db, agent, actor, reason, now)
                : null,
            change, t => [t], null, () => Failure.NotFound($"No agent with id {target}."));

    /// <summary>
    /// The one write loop: gate, context, transaction, change, save, relay, commit, then publish. <paramref name="agents"/>
    /// names the agents' changes the transaction made and <paramref name="runChanges"/> a run's own (each relayed to the
    /// other nodes and published here).
    /// </summary>
    private async Task<Outcome<T>> CommitAsync<TTransaction, T>(
        object target,
        Func<CutoverDbContext, DateTime, CancellationToken, Task<TTransaction?>> open,
        Func<TTransaction, CancellationToken, Task<Outcome<T>>> change,
        Func<TTransaction, IReadOnlyList<StatusTransaction>> agents,
        Func<TTransaction, IReadOnlyList<RunChange>>? runChanges,
        Func<Failure> notFound)
        where TTransaction : class
    {
        // From here on the write is not bound to the caller (see UpdateStatusAsync).
        var write = CancellationToken.None;
        using var entered = await gate.EnterAsync(write).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(write).ConfigureAwait(false);
            await using var tx = await db.Database.BeginTransactionAsync(write).ConfigureAwait(false);
            var now = time.GetUtcNow().UtcDateTime;
            var t = await open(db, now, write).ConfigureAwait(false);
            if (t is null) return notFound();

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
                if (outbox is not null)
                {
                    foreach (var a in agents(t).Where(a => a.Changes.Count > 0)) await outbox.EnqueueAsync(db, a.Agent, a.Changes, write).ConfigureAwait(false);
                    if (runChanges?.Invoke(t) is { Count: > 0 } run) await outbox.EnqueueRunAsync(db, run, write).ConfigureAwait(false);
                }

                if (relay is not null)
                {
                    foreach (var a in agents(t).Where(a => a.Changes.Count > 0))
                        await relay.SendAsync(db, AgentLiveState.From(a.Agent), a.Changes, write).ConfigureAwait(false);
                    if (runChanges?.Invoke(t) is { Count: > 0 } run) await relay.SendRunAsync(db, run, write).ConfigureAwait(false);
                }

                await tx.CommitAsync(write).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && WriteConflict.Is(e))
            {
                logger.LogDebug(e, "Concurrent write on {Target}; attempt {Attempt} re-reads", target, attempt);
                continue;
            }

            foreach (var a in agents(t)) bus.Publish(AgentLiveState.From(a.Agent), a.Changes);
            if (runChanges?.Invoke(t) is { } committed) bus.PublishRun(committed);
            return outcome;
        }
    }


    /// <summary>Reads the run inside the transaction, locked on PostgreSQL (as agents are) so its writers queue.</summary>
    private static Task<ProvisioningRun?> LoadRunForWriteAsync(CutoverDbContext db, Guid runId, CancellationToken cancellationToken) =>
        db.Database.ProviderName == PostgresProvider
            ? db.ProvisioningRuns.FromSqlInterpolated($"SELECT * FROM \"ProvisioningRuns\" WHERE \"Id\" = {runId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken)
            : db.ProvisioningRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);

    /// <summary>
    /// Reads the agent inside the transaction. On PostgreSQL the row is locked (FOR UPDATE) so writers of one agent
    /// queue behind each other instead of racing to the same event sequence number; writers of different agents
    /// still run in parallel. On SQLite the write gate already admits one writer at a time.
    /// </summary>
    private static Task<Agent?> LoadAgentForWriteAsync(CutoverDbContext db, Guid agentId, CancellationToken cancellationToken) =>
        db.Database.ProviderName == PostgresProvider
            ? db.Agents.FromSqlInterpolated($"SELECT * FROM \"Agents\" WHERE \"Id\" = {agentId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken)
            : db.Agents.FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);

    private static async Task<Agent?> FindOrAddAgentAsync(CutoverDbContext db, string name, string? description, DateTime now,
        CancellationToken cancellationToken)
    {
        var existing = await db.Agents.FirstOrDefaultAsync(a => a.Name == name, cancellationToken).ConfigureAwait(false);
        if (existing is not null) return existing;
        var agent = new Agent(Guid.CreateVersion7(), name, description, now);
        db.Agents.Add(agent);
        return agent;
    }
}
