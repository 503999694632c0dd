using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.Unit.Migrations;

/// <summary>Reads a SQLite file's schema and rows as plain text, to compare two databases.</summary>
internal static class SqliteSchema
{
    /// <summary>Tables, columns (type, nullability, key), indexes (uniqueness, columns, filter) and foreign keys.</summary>
    public static List<string> Describe(string connectionString)
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
                var cols = string.Join(",", Query(c, $"PRAGMA index_info('{ix[1]}')").OrderBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Select(r => r[2]));
                var sql = Query(c, $"SELECT sql FROM sqlite_master WHERE type='index' AND name='{ix[1]}'").Single()[0];
                var where = sql.Contains(" WHERE ", StringComparison.Ordinal) ? sql[sql.IndexOf(" WHERE ", StringComparison.Ordinal)..] : "";
                lines.Add($"{t} index {ix[1]} unique={ix[2]} ({cols}){where}");
            }
        }

        return lines;
    }

    /// <summary>Every row of a table, ordered by Id, as column name to text.</summary>
    public static List<Dictionary<string, string>> Rows(string connectionString, string table)
    {
        using var c = new SqliteConnection(connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{table}\" ORDER BY \"Id\"";
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, string>>();
        while (r.Read())
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++) row[r.GetName(i)] = Text(r, i);
            rows.Add(row);
        }

        return rows;
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
            for (var i = 0; i < r.FieldCount; i++) row[i] = Text(r, i);
            rows.Add(row);
        }

        return rows;
    }

    private static string Text(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? "<null>" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;
}
