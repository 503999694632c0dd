using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Status;

/// <summary>
/// The failures of a write that another writer caused, and that a fresh attempt resolves: the agent's sequence
/// token moved (<see cref="DbUpdateConcurrencyException"/>), or a concurrent insert took the same unique key (two
/// nodes creating one agent name or deployment id). Anything else (a NOT NULL, foreign key or check violation, a
/// bug in a change) is not retried: it surfaces to the caller at once.
/// </summary>
public static class WriteConflict
{
    /// <summary>SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.</summary>
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    /// <summary>The SQL standard's unique_violation (PostgreSQL reports it as SqlState).</summary>
    private const string UniqueViolation = "23505";

    public static bool Is(DbUpdateException e) => e is DbUpdateConcurrencyException || e.InnerException switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is SqliteUnique or SqlitePrimaryKey,
        DbException d => d.SqlState == UniqueViolation,
        _ => false,
    };
}
