using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// A second floor, for reading the first one: hand-written SQL that writes exactly the rows a health flip through the
/// chokepoint writes (the agent's health and sequence, one timeline event with its five indexes) for the same agents,
/// one writer, <paramref name="perTransaction"/> changes per transaction like a full group-commit batch, and nothing
/// else (no queue, no callers, no publishing). The chokepoint cannot beat it; the gap between the two is the
/// chokepoint's own cost, the gap between it and the single-row loop is the cost of the rows themselves.
/// </summary>
internal static class SameRowsScenario
{
    public static async Task<Figures> RunAsync(string name, string connectionString, IReadOnlyList<Guid> agents, int perTransaction, TimeSpan duration)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = BenchPragmas.Sql;
            await pragmas.ExecuteNonQueryAsync();
        }

        var ids = agents.Select(a => a.ToString().ToUpperInvariant()).ToArray();
        var sequences = new long[ids.Length];
        var healthy = new bool[ids.Length];
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT \"LastSequence\", \"Health\" FROM \"Agents\" WHERE \"Id\" = $id";
            var id = read.Parameters.Add("$id", SqliteType.Text);
            for (var i = 0; i < ids.Length; i++)
            {
                id.Value = ids[i];
                await using var r = await read.ExecuteReaderAsync();
                await r.ReadAsync();
                (sequences[i], healthy[i]) = (r.GetInt64(0), r.GetString(1) == "Healthy");
            }
        }

        await using var begin = Command(connection, "BEGIN IMMEDIATE;");
        await using var commit = Command(connection, "COMMIT;");
        await using var update = Command(connection,
            "UPDATE \"Agents\" SET \"Health\" = $health, \"LastSequence\" = $next WHERE \"Id\" = $id AND \"LastSequence\" = $seq;",
            "$health", "$next", "$id", "$seq");
        await using var insert = Command(connection,
            "INSERT INTO \"Events\" (\"Id\", \"Actor\", \"AgentId\", \"At\", \"DeploymentId\", \"From\", \"Kind\", \"Reason\", \"Sequence\", \"To\") " +
            "VALUES ($eid, 'bench', $agent, $at, NULL, $from, 'HealthChanged', $reason, $next, $to);",
            "$eid", "$agent", "$at", "$from", "$reason", "$next", "$to");

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var latencies = new List<double>(200_000);
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            begin.ExecuteNonQuery();
            for (var n = 0; n < perTransaction; n++, count++)
            {
                var i = (int)(count % ids.Length);
                var (from, to) = healthy[i] ? ("Healthy", "Unhealthy") : ("Unhealthy", "Healthy");
                Bind(update, to, sequences[i] + 1, ids[i], sequences[i]);
                if (update.ExecuteNonQuery() != 1) throw new InvalidOperationException("agent row moved under the benchmark");
                Bind(insert, Guid.CreateVersion7().ToString().ToUpperInvariant(), ids[i], DateTime.UtcNow, from, count.ToString(), sequences[i] + 1, to);
                insert.ExecuteNonQuery();
                sequences[i]++;
                healthy[i] = !healthy[i];
            }

            commit.ExecuteNonQuery();
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            for (var n = 0; n < perTransaction; n++) latencies.Add(ms);
        }

        var elapsed = clock.Elapsed;
        Console.WriteLine($"{name}: process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms in {elapsed.TotalMilliseconds:F0} ms wall");
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new Figures(name, sorted.Length, elapsed, sorted, sorted.Length == 0 ? 0 : sorted[^1]);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = p });
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
