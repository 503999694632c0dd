using Cutover.Benchmarks.Chokepoint;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project benchmarks/Chokepoint [-- seconds-per-scenario (default 4) writers (default 16)]
// Bounded (a few seconds per scenario), loopback-free (a temp SQLite file), and removes its files when done.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4;
var writers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 16;
var duration = TimeSpan.FromSeconds(seconds);

var directory = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "bench.db"), Pooling = true }.ToString();
try
{
    var options = new DbContextOptionsBuilder<CutoverDbContext>().UseSqlite(connectionString).AddInterceptors(new BenchPragmas()).Options;
    var factory = new PooledDbContextFactory<CutoverDbContext>(options);
    await using (var db = factory.CreateDbContext())
    {
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    var bus = new StatusBus();
    // The app's SQLite configuration: one in-process writer gate in front of the database.
    var chokepoint = new StatusChokepoint(factory, bus, new SingleWriterGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance);
    var agents = new List<Guid>();
    for (var i = 0; i < writers; i++) agents.Add((await chokepoint.EnsureAgentAsync($"bench-{i}", null, "bench", default)).Id);

    Console.WriteLine($"Chokepoint benchmark: {writers} concurrent writers, {seconds:0.#} s per scenario, SQLite WAL, synchronous=NORMAL, busy_timeout=5000");
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    await ChokepointScenario.RunAsync("warm-up", chokepoint, bus, agents, writers, TimeSpan.FromSeconds(1));

    var manyAgents = await ChokepointScenario.RunAsync("chokepoint, 16 agents (one per writer)", chokepoint, bus, agents, writers, duration);
    var oneAgent = await ChokepointScenario.RunAsync("chokepoint, 1 agent (all writers)", chokepoint, bus, [agents[0]], writers, duration);
    var sameRows = await SameRowsScenario.RunAsync("same rows by hand, 16 agents, 16 a txn", connectionString, agents, writers, duration);
    var sameRow = await SameRowsScenario.RunAsync("same rows by hand, 1 agent, 16 a txn", connectionString, [agents[0]], writers, duration);
    var rawRows = await RawScenario.RunAsync("raw sqlite, 16 rows (one per writer)", connectionString, writers, sameRow: false, duration);
    var rawRow = await RawScenario.RunAsync("raw sqlite, 1 row (all writers)", connectionString, writers, sameRow: true, duration);

    Console.WriteLine();
    Console.WriteLine("Latency: chokepoint = call until a bus subscriber has the change; raw and by hand = BEGIN IMMEDIATE until COMMIT returns.");
    foreach (var f in new[] { manyAgents, oneAgent, sameRows, sameRow, rawRows, rawRow }) Console.WriteLine(f);
    Console.WriteLine();
    Report("16 agents", manyAgents, rawRows);
    Report("1 agent ", oneAgent, rawRow);
    Console.WriteLine();
    Console.WriteLine("For reading the gap (no target): the same rows written by hand, one writer, 16 changes a transaction.");
    Console.WriteLine($"16 agents: by hand/raw = {sameRows.PerSecond / rawRows.PerSecond:F2}, chokepoint/by hand = {manyAgents.PerSecond / sameRows.PerSecond:F2}");
    Console.WriteLine($"1 agent : by hand/raw = {sameRow.PerSecond / rawRow.PerSecond:F2}, chokepoint/by hand = {oneAgent.PerSecond / sameRow.PerSecond:F2}");
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

static void Report(string label, Figures chokepoint, Figures raw)
{
    var ratio = chokepoint.PerSecond / raw.PerSecond;
    Console.WriteLine($"{label}: chokepoint/raw rate = {ratio:F2} (target >= 0.50: {(ratio >= 0.5 ? "met" : "MISSED")}); " +
        $"longest chokepoint wait = {Math.Max(chokepoint.Max, chokepoint.MaxCallMs):F1} ms (target <= 250 ms: {(Math.Max(chokepoint.Max, chokepoint.MaxCallMs) <= 250 ? "met" : "MISSED")})");
}
