using System.Threading.Channels;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Status;

/// <summary>
/// Group commit for a single-writer database (SQLite). Concurrent status writes queue here and one writer commits
/// them together: one connection (kept between batches), one transaction, prepared statements for the agent rows and
/// events (<see cref="StatusBatchSession"/>) for up to <see cref="MaxBatch"/> calls. Per-call overhead (opening a
/// context and connection, EF Core's change tracking, BEGIN/COMMIT), not the disk, was what limited the chokepoint;
/// SQLite serializes writers anyway, so batching loses no parallelism.
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
    ILogger logger) : IAsyncDisposable
{
    /// <summary>Bounds a batch so that one batch's wait (and a fallback's one-by-one replay) stays short.</summary>
    internal const int MaxBatch = 64;

    private readonly Channel<StatusWorkItem> _queue = Channel.CreateUnbounded<StatusWorkItem>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    private StatusRows? _rows;

    /// <summary>
    /// The writer's connection and prepared statements, kept between runs of the loop: reopening them whenever the
    /// queue ran dry (often, between bursts of 16 callers) cost more than the writes. Only the running writer uses it.
    /// </summary>
    private StatusBatchSession? _session;
    private bool _disposed;
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
                _session = await WriteBatchAsync(batch, _session).ConfigureAwait(false);

                // Let the callers this batch just completed run before taking the next batch: their next calls then
                // join it. Without this the writer raced ahead with whatever two or three calls had queued, and
                // paid a whole commit for each small batch (16 callers: 4 calls a batch, and 0.6 of the rate).
                await Task.Yield();
            }

            if (Volatile.Read(ref _disposed)) await CloseSessionAsync().ConfigureAwait(false);

            // Stand down, then look again: an item queued (or a disposal begun) between the last read and the
            // stand-down would otherwise wait for the next caller to start a writer.
            Volatile.Write(ref _draining, 0);
            var more = _queue.Reader.TryPeek(out _) || (Volatile.Read(ref _disposed) && _session is not null);
            if (!more || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        }
    }

    /// <summary>Closes the writer's connection: now if it is idle, else when its current run ends.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        try
        {
            await CloseSessionAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _draining, 0);
        }
    }

    private async Task CloseSessionAsync()
    {
        if (_session is not null) await _session.DisposeAsync().ConfigureAwait(false);
        _session = null;
    }

    /// <summary>Writes one batch; returns the session to reuse for the next one (null when this one broke it).</summary>
    private async Task<StatusBatchSession?> WriteBatchAsync(List<StatusWorkItem> batch, StatusBatchSession? session)
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
                session ??= await StatusBatchSession.OpenAsync(dbFactory, Rows).ConfigureAwait(false);
                committed = await TryWriteTogetherAsync(session, batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "A batch of {Count} status changes failed; replaying them one by one", batch.Count);
                // The connection's state is unknown after a failure: start the next batch on a fresh one.
                if (session is not null) await session.DisposeAsync().ConfigureAwait(false);
                session = null;
            }

            if (committed is not null)
            {
                foreach (var s in committed) bus.Publish(s.State, s.Changes);
                foreach (var s in committed) s.Item.Committed();
                return session;
            }

            Interlocked.Increment(ref _replayedBatches);
            foreach (var item in batch)
            {
                if (!item.IsDone) await item.RunAloneAsync(chokepoint).ConfigureAwait(false);
            }

            return session;
        }
        catch (Exception e)
        {
            // Only the writer's own machinery lands here (changes' exceptions are caught above); never leave a caller hanging.
            foreach (var item in batch) item.Fail(e);
            if (session is not null) await session.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Runs the batch in one transaction; null (rolled back) as soon as one change refuses.</summary>
    private async Task<IReadOnlyList<Staged>?> TryWriteTogetherAsync(StatusBatchSession session, List<StatusWorkItem> batch)
    {
        await session.BeginAsync().ConfigureAwait(false);
        var touched = new HashSet<Guid>();
        var staged = new List<Staged>(batch.Count);
        foreach (var item in batch)
        {
            var agent = await session.AgentAsync(item.AgentId).ConfigureAwait(false);
            if (agent is null)
            {
                item.Refuse(Failure.NotFound($"No agent with id {item.AgentId}."));
                continue;
            }

            // A second change of one agent in a batch reads what the first one wrote, as if it had committed.
            var t = new StatusTransaction(session, agent, item.Actor, item.Reason, time.GetUtcNow().UtcDateTime)
            {
                FlushBeforeRead = !touched.Add(agent.Id),
            };
            if (!await item.StageAsync(t).ConfigureAwait(false))
            {
                await session.RollbackAsync().ConfigureAwait(false);
                return null;
            }

            // The state right after this change: a later change of the same agent must not show up in this one's state.
            staged.Add(new Staged(item, AgentLiveState.From(agent), t.Changes));
        }

        await session.CommitAsync().ConfigureAwait(false);
        return staged;
    }

    /// <summary>Built from the model on first use and shared by every session (the model never changes).</summary>
    private StatusRows Rows(CutoverDbContext db) => _rows ??= StatusRows.For(db);

    private sealed record Staged(StatusWorkItem Item, AgentLiveState State, IReadOnlyList<StatusChange> Changes);
}
