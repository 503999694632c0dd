using Cutover.Core.Persistence;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Core;

/// <summary>
/// The migrations are hand-written (EF's design-time tooling cannot be installed here), so this is what keeps them
/// honest: a database built by the migrations must have exactly the schema EF derives from the model.
/// </summary>
public sealed class MigrationsMatchModelTests
{
    [Fact]
    public void Migrations_AppliedToEmptyDatabase_ProduceTheModelsSchema()
    {
        using var migrated = new TestDatabase();
        var createdPath = Path.Combine(migrated.Directory, "created.db");
        var createdCs = new SqliteConnectionStringBuilder { DataSource = createdPath, Pooling = false }.ToString();
        using (var db = new CutoverDbContext(TestDatabase.BuildOptions(createdCs)))
        {
            db.Database.EnsureCreated();
        }

        var expected = Describe(createdCs);
        var actual = Describe(migrated.ConnectionString);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Migrations_AreAllApplied_NothingPending()
    {
        using var migrated = new TestDatabase();
        using var db = migrated.Open();
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.NotEmpty(db.Database.GetAppliedMigrations());
    }

    /// <summary>Tables, columns (type, nullability, key), indexes (uniqueness, columns, filter) and foreign keys.</summary>
    private static List<string> Describe(string connectionString)
    {
        var lines = new List<string>();
        using var c = new SqliteConnection(connectionString);
        c.Open();
        var tables = Query(c, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' ORDER BY name")
            .Select(r => r[0]).ToList();
        foreach (var t in tables)
        {
            foreach (var col in Query(c, $"PRAGMA table_info('{t}')").OrderBy(r => r[1]))
                lines.Add($"{t}.{col[1]} type={col[2]} notnull={col[3]} pk={col[5]}");
            foreach (var fk in Query(c, $"PRAGMA foreign_key_list('{t}')").OrderBy(r => r[3]))
                lines.Add($"{t} fk {fk[3]} -> {fk[2]}.{fk[4]} on delete {fk[6]}");
            foreach (var ix in Query(c, $"PRAGMA index_list('{t}')").Where(r => !r[1].StartsWith("sqlite_")).OrderBy(r => r[1]))
            {
                var cols = string.Join(",", Query(c, $"PRAGMA index_info('{ix[1]}')").OrderBy(r => int.Parse(r[0])).Select(r => r[2]));
                var sql = Query(c, $"SELECT sql FROM sqlite_master WHERE type='index' AND name='{ix[1]}'").Single()[0];
                var where = sql.Contains(" WHERE ", StringComparison.Ordinal) ? sql[sql.IndexOf(" WHERE ", StringComparison.Ordinal)..] : "";
                lines.Add($"{t} index {ix[1]} unique={ix[2]} ({cols}){where}");
            }
        }

        return lines;
    }

    private static List<string[]> Query(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (r.Read())
        {
            var row = new string[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }

        return rows;
    }
}
