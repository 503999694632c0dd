using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>Every row of every table as text, read with plain SQL: two snapshots are equal only if nothing was written.</summary>
internal static class TableSnapshot
{
    public static async Task<string> TakeAsync(TestDatabase db)
    {
        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        Assert.Contains("ProvisioningRuns", tables);
        Assert.Contains("ProvisioningLedger", tables);
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString()).Append('|');
                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
