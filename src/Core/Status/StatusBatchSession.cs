using System.Data.Common;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cutover.Core.Status;

/// <summary>
/// The group-commit writer's connection to the database, kept from batch to batch until one fails or the chokepoint
/// is disposed: one context with its connection held open, and prepared statements for the rows every status change touches (the agent is read and updated, the
/// timeline events are inserted). Deployments, which only some changes touch, stay with EF Core's change tracking
/// on the same context, connection and transaction.
/// </summary>
/// <remarks>
/// Why not SaveChanges for everything: per change it cost ~25 times the raw statements (change detection, command
/// building, materializing the agent), and the writer is the one thread every status write in the process waits
/// on. The statements come from the EF model (<see cref="EntityRows{T}"/>), so the rows are the ones SaveChanges
/// writes; a test compares the two paths row by row.
/// </remarks>
internal sealed class StatusBatchSession : IAsyncDisposable
{
    /// <summary>Bounds the agents kept between batches (a few hundred bytes each).</summary>
    private const int MaxCachedAgents = 10_000;

    private readonly CutoverDbContext _db;
    private readonly StatusRows _rows;
    private readonly DbCommand _selectAgent;
    private readonly DbCommand _insertEvent;
    private readonly Dictionary<ulong, DbCommand> _updateAgent = [];
    private readonly Dictionary<Guid, TrackedAgent> _agents = [];
    private readonly List<TimelineEvent> _events = [];
    private IDbContextTransaction? _transaction;

    private StatusBatchSession(CutoverDbContext db, StatusRows rows)
    {
        _db = db;
        _rows = rows;
        var connection = db.Database.GetDbConnection();
        _selectAgent = rows.Agents.SelectByKeyCommand(connection);
        _insertEvent = rows.Events.InsertCommand(connection);
    }

    /// <summary>The context for deployment reads and writes; it shares the session's connection and transaction.</summary>
    public CutoverDbContext Db => _db;

    public static async Task<StatusBatchSession> OpenAsync(IDbContextFactory<CutoverDbContext> factory, Func<CutoverDbContext, StatusRows> rows)
    {
        var db = await factory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // A failure rolls back the whole batch, so per-SaveChanges savepoints would only cost round trips.
            db.Database.AutoSavepointsEnabled = false;
            await db.Database.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            return new StatusBatchSession(db, rows(db));
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task BeginAsync()
    {
        _db.ChangeTracker.Clear();
        _events.Clear();
        if (_agents.Count > MaxCachedAgents) _agents.Clear();
        _transaction = await _db.Database.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        var transaction = _transaction.GetDbTransaction();
        _selectAgent.Transaction = transaction;
        _insertEvent.Transaction = transaction;
        foreach (var update in _updateAgent.Values) update.Transaction = transaction;
    }

    /// <summary>
    /// The agent as this batch sees it: read once, then shared by every change of the batch and kept for later
    /// batches while they commit. Keeping it is sound because every write to an agent row goes through the
    /// chokepoint (the one exception, the LastSeenAt stamp, is a column no change decides on and an update only
    /// writes when it changed it), on SQLite every chokepoint write of this process goes through this writer or a
    /// replay that starts after this session dropped its agents, and each update still checks the sequence token.
    /// </summary>
    public async Task<Agent?> AgentAsync(Guid id)
    {
        if (_agents.TryGetValue(id, out var tracked)) return tracked.Agent;
        _rows.Agents.BindKey(_selectAgent, id);
        await using var reader = await _selectAgent.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)) return null;
        var agent = _rows.Agents.Read(reader);
        _agents[id] = new TrackedAgent(agent, _rows.Agents.Snapshot(agent));
        return agent;
    }

    public void AddEvent(TimelineEvent e) => _events.Add(e);

    /// <summary>
    /// Writes what the batch has staged so far, inside its transaction: deployments (EF Core), then changed agents,
    /// then events. Synchronous because reads that need it are properties; SQLite does its I/O synchronously anyway.
    /// </summary>
    public void Flush()
    {
        if (_db.ChangeTracker.HasChanges()) _db.SaveChanges();
        foreach (var (id, tracked) in _agents)
        {
            var changed = _rows.Agents.Changed(tracked.Agent, tracked.Saved);
            if (changed == 0) continue;
            var update = UpdateCommand(changed);
            _rows.Agents.BindUpdate(update, tracked.Agent, changed, tracked.Saved);
            if (update.ExecuteNonQuery() != 1)
            {
                throw new DbUpdateConcurrencyException($"Agent {id} was changed by another writer since this batch read it.");
            }

            tracked.Saved = _rows.Agents.Snapshot(tracked.Agent);
        }

        foreach (var e in _events)
        {
            _rows.Events.BindInsert(_insertEvent, e);
            _insertEvent.ExecuteNonQuery();
        }

        _events.Clear();
    }

    public async Task CommitAsync()
    {
        Flush();
        await _transaction!.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        await EndAsync().ConfigureAwait(false);
    }

    /// <summary>Undoes the batch; the agents it changed in memory are dropped with it.</summary>
    public async Task RollbackAsync()
    {
        _agents.Clear();
        if (_transaction is not null) await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        await EndAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync().ConfigureAwait(false);
        foreach (var update in _updateAgent.Values) await update.DisposeAsync().ConfigureAwait(false);
        await _selectAgent.DisposeAsync().ConfigureAwait(false);
        await _insertEvent.DisposeAsync().ConfigureAwait(false);
        await _db.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EndAsync()
    {
        if (_transaction is not null) await _transaction.DisposeAsync().ConfigureAwait(false);
        _transaction = null;
        _db.ChangeTracker.Clear();
        _events.Clear();
    }

    private DbCommand UpdateCommand(ulong changed)
    {
        if (!_updateAgent.TryGetValue(changed, out var command))
        {
            command = _rows.Agents.UpdateCommand(_db.Database.GetDbConnection(), changed);
            command.Transaction = _transaction?.GetDbTransaction();
            _updateAgent[changed] = command;
        }

        return command;
    }

    private sealed class TrackedAgent(Agent agent, object?[] saved)
    {
        public Agent Agent { get; } = agent;

        /// <summary>The row as the database has it (inside this transaction): what an update compares against.</summary>
        public object?[] Saved { get; set; } = saved;
    }
}
