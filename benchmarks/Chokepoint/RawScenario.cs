using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// The floor to compare with: concurrent writers, each on its own connection, running
/// <c>BEGIN IMMEDIATE; UPDATE one row; COMMIT</c> on the same file with the same pragmas. SQLite's busy handler
/// arbitrates between them.
/// </summary>
internal static class RawScenario
{
    public static async Task<Figures> RunAsync(string name, string connectionString, int writers, bool sameRow, TimeSpan duration)
    {
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var cmd = setup.CreateCommand();
            cmd.CommandText = BenchPragmas.Sql + "CREATE TABLE IF NOT EXISTS bench(id INTEGER PRIMARY KEY, v INTEGER NOT NULL); DELETE FROM bench;";
            await cmd.ExecuteNonQueryAsync();
            for (var i = 0; i < writers; i++)
            {
                cmd.CommandText = $"INSERT INTO bench(id, v) VALUES ({i}, 0);";
                await cmd.ExecuteNonQueryAsync();
            }
        }

        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var perWriter = new List<double>[writers];
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(() =>
        {
            var lat = perWriter[w] = new List<double>(50_000);
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = BenchPragmas.Sql;
                pragmas.ExecuteNonQuery();
            }

            using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE bench SET v = v + 1 WHERE id = $id;";
            update.Parameters.AddWithValue("$id", sameRow ? 0 : w);
            using var commit = connection.CreateCommand();
            commit.CommandText = "COMMIT;";
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                begin.ExecuteNonQuery();
                update.ExecuteNonQuery();
                commit.ExecuteNonQuery();
                lat.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }, TaskCreationOptions.LongRunning)).ToList();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        Console.WriteLine($"{name}: process CPU {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms in {elapsed.TotalMilliseconds:F0} ms wall");
        var all = perWriter.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Figures(name, all.Length, elapsed, all, all.Length == 0 ? 0 : all[^1]);
    }
}
