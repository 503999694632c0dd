using System.Threading.Channels;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Status;

/// <summary>
/// Group commit for a single-writer database (SQLite). Concurrent status writes queue here and one writer commits
/// them together: one context, one connection, one transaction, one agent query and one SaveChanges for up to
/// <see cref="MaxBatch"/> calls. Per-call EF Core overhead (opening a pooled connection with its pragmas, reading
/// the agent, SaveChanges, BEGIN/COMMIT), not the disk, was what limited the chokepoint; SQLite serializes writers
/// anyway, so batching loses no parallelism.
/// </summary>
/// <remarks>
/// Failure stays per call: if any change in a batch refuses or throws, or the batch's save or commit throws, the
/// whole batch rolls back and each call runs again on its own (changes are re-runnable: the concurrency retry
/// already relies on it), so a call only ever gets its own outcome or exception and nothing uncommitted is
/// published. The writer is a loop started on demand that ends when the queue is empty, so nothing has to stop it.
/// </remarks>
internal sealed class StatusWriteQueue(
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    IWriteGate gate,
    TimeProvider time,
    StatusChokepoint chokepoint,
    ILogger logger)
{
    /// <summary>Bounds a batch so that one batch's wait (and a fallback's one-by-one replay) stays short.</summary>
    internal const int MaxBatch = 64;

    private readonly Channel<StatusWorkItem> _queue = Channel.CreateUnbounded<StatusWorkItem>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    private int _draining;
    private long _batches;
    private long _items;
    private long _replayedBatches;

    /// <summary>Diagnostics only: batches written, calls they held, and batches that were replayed one by one.</summary>
    internal (long Batches, long Items, long Replayed) Counts =>
        (Interlocked.Read(ref _batches), Interlocked.Read(ref _items), Interlocked.Read(ref _replayedBatches));

    public void Enqueue(StatusWorkItem item)
    {
        _queue.Writer.TryWrite(item);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        var batch = new List<StatusWorkItem>(MaxBatch);
        while (true)
        {
            while (_queue.Reader.TryRead(out var first))
            {
                batch.Clear();
                batch.Add(first);
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
                await WriteBatchAsync(batch).ConfigureAwait(false);
            }

            // Stand down, then look again: an item queued between the last read and the stand-down would otherwise
            // wait for the next caller to start a writer.
            Volatile.Write(ref _draining, 0);
            if (!_queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        }
    }

    private async Task WriteBatchAsync(List<StatusWorkItem> batch)
    {
        try
        {
            // The gate still serializes this writer with the other in-process writers (agent creation, health stamps).
            using var entered = await gate.EnterAsync(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, batch.Count);

            IReadOnlyList<Staged>? committed = null;
            try
            {
                committed = await TryWriteTogetherAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "A batch of {Count} status changes failed; replaying them one by one", batch.Count);
            }

            if (committed is not null)
            {
                foreach (var s in committed) bus.Publish(s.State, s.Changes);
                foreach (var s in committed) s.Item.Committed();
                return;
            }

            Interlocked.Increment(ref _replayedBatches);
            foreach (var item in batch)
            {
                if (!item.IsDone) await item.RunAloneAsync(chokepoint).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Only the writer's own machinery lands here (changes' exceptions are caught above); never leave a caller hanging.
            foreach (var item in batch) item.Fail(e);
        }
    }

    /// <summary>Runs the batch in one transaction; null (rolled back) as soon as one change refuses.</summary>
    private async Task<IReadOnlyList<Staged>?> TryWriteTogetherAsync(List<StatusWorkItem> batch)
    {
        var write = CancellationToken.None;
        await using var db = await dbFactory.CreateDbContextAsync(write).ConfigureAwait(false);
        // A failure rolls back the whole batch, so per-SaveChanges savepoints would only cost round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(write).ConfigureAwait(false);

        var ids = batch.Select(i => i.AgentId).Distinct().ToList();
        var agents = await db.Agents.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, write).ConfigureAwait(false);
        var touched = new HashSet<Guid>();
        var staged = new List<Staged>(batch.Count);
        foreach (var item in batch)
        {
            if (!agents.TryGetValue(item.AgentId, out var agent))
            {
                item.Refuse(Failure.NotFound($"No agent with id {item.AgentId}."));
                continue;
            }

            // A second change of one agent in a batch reads what the first one wrote, as if it had committed.
            var t = new StatusTransaction(db, agent, item.Actor, item.Reason, time.GetUtcNow().UtcDateTime)
            {
                FlushBeforeRead = !touched.Add(agent.Id),
            };
            if (!await item.StageAsync(t).ConfigureAwait(false))
            {
                await tx.RollbackAsync(write).ConfigureAwait(false);
                return null;
            }

            // The state right after this change: a later change of the same agent must not show up in this one's state.
            staged.Add(new Staged(item, AgentLiveState.From(agent), t.Changes));
        }

        await db.SaveChangesAsync(write).ConfigureAwait(false);
        await tx.CommitAsync(write).ConfigureAwait(false);
        return staged;
    }

    private sealed record Staged(StatusWorkItem Item, AgentLiveState State, IReadOnlyList<StatusChange> Changes);
}
