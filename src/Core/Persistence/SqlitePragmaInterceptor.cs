using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cutover.Core.Persistence;

/// <summary>
/// Sets per-connection SQLite pragmas: a busy timeout so a second writer (another process, the token "last used"
/// stamp) waits instead of failing, foreign keys on, and NORMAL sync, which in WAL mode is durable against
/// application crashes and only risks the last commits on power loss.
/// </summary>
/// <remarks>
/// Pragmas belong to the physical connection and survive its trips through the pool, so they run once per physical
/// connection (keyed by its native handle) rather than on every pooled open, where they were a measurable part of
/// every short write.
/// </remarks>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    // Weak keys: an entry goes when the pool finally closes its physical connection and the handle is collected.
    private static readonly object Seen = new();

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsPragmas(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (!NeedsPragmas(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True the first time a physical connection is seen (always, for a connection without a native handle).</summary>
    private bool NeedsPragmas(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle }) return true;
        return _configured.TryAdd(handle, Seen);
    }
}
