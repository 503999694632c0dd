using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>The app's per-connection pragmas (Dashboard/Hosting/SqlitePragmaInterceptor), shared with the raw loop.</summary>
internal sealed class BenchPragmas : DbConnectionInterceptor
{
    public const string Sql = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
