using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cutover.Dashboard.Hosting;

/// <summary>
/// Sets per-connection SQLite pragmas on every open: a busy timeout so a second writer (another process, the
/// token "last used" stamp) waits instead of failing, foreign keys on, and NORMAL sync, which in WAL mode is durable
/// against application crashes and only risks the last commits on power loss.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
