using Cutover.Benchmarks.Chokepoint;
using Cutover.Core.Domain;
using Cutover.Core.Notifications;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project benchmarks/Chokepoint [-- seconds-per-scenario (default 4) sweep-agents (default 10000)]
// Bounded (a few seconds per scenario), on a temp SQLite file it removes when done.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4;
var sweepAgents = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var duration = TimeSpan.FromSeconds(seconds);

var directory = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "bench.db"), Pooling = true }.ToString();
try
{
    // The app's SQLite configuration: a pooled context factory, WAL, its pragmas, one in-process writer gate.
    var options = new DbContextOptionsBuilder<CutoverDbContext>().UseSqlite(connectionString, s => s.MigrationsAssembly(MigrationAssemblies.Sqlite)).AddInterceptors(new SqlitePragmaInterceptor()).Options;
    var factory = new PooledDbContextFactory<CutoverDbContext>(options);
    await using (var db = factory.CreateDbContext())
    {
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    // Wired as the app wires it: with the notification outbox (and, as on a fresh install, no subscriptions).
    var chokepoint = new StatusChokepoint(factory, new StatusBus(), new SingleWriterGate(), TimeProvider.System, NullLogger<StatusChokepoint>.Instance,
        outbox: new ChangeOutbox(new NotificationSubscriptions()));
    var plain = new PlainEfLoop(factory);
    var agents = new List<Guid>();
    for (var i = 0; i < 16; i++) agents.Add((await chokepoint.EnsureAgentAsync($"bench-{i}", null, "bench", default)).Id);

    Console.WriteLine($"Chokepoint benchmark: {seconds:0.#} s per scenario, SQLite WAL, synchronous=NORMAL; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    Console.WriteLine("Each change flips one agent's health: the agent row and one timeline event, one transaction. Writers take one agent each.");
    // Long enough for tiered compilation to settle on both paths: after 1 s, whichever path ran first was still
    // partly unoptimized (with DOTNET_TieredCompilation=0 the two were equal where a 1 s warm-up showed 0.31).
    for (var round = 0; round < 3; round++)
    {
        await LoadRun.RunAsync("warm-up", 16, TimeSpan.FromSeconds(1), w => Flip(chokepoint, agents[w]));
        await LoadRun.RunAsync("warm-up", 16, TimeSpan.FromSeconds(1), w => plain.FlipAsync(agents[w]));
    }

    var results = new Dictionary<(string, int), Figures>();
    const int slices = 4;
    foreach (var writers in new[] { 1, 16 })
    {
        // Side by side in alternating slices (which goes first alternates too), so a swing in the machine's load,
        // or what one path leaves warm for the other, falls on both alike.
        var chokepointSlices = new List<Figures>();
        var plainSlices = new List<Figures>();
        for (var slice = 0; slice < slices; slice++)
        {
            var part = duration / slices;
            if (slice % 2 == 0)
            {
                chokepointSlices.Add(await LoadRun.RunAsync("chokepoint", writers, part, w => Flip(chokepoint, agents[w])));
                plainSlices.Add(await LoadRun.RunAsync("plain EF", writers, part, w => plain.FlipAsync(agents[w])));
            }
            else
            {
                plainSlices.Add(await LoadRun.RunAsync("plain EF", writers, part, w => plain.FlipAsync(agents[w])));
                chokepointSlices.Add(await LoadRun.RunAsync("chokepoint", writers, part, w => Flip(chokepoint, agents[w])));
            }
        }

        results[("chokepoint", writers)] = Figures.Merge($"chokepoint, {writers} writers", chokepointSlices);
        results[("plain EF", writers)] = Figures.Merge($"plain EF Core loop, {writers} writers", plainSlices);
    }

    foreach (var f in results.Values) Console.WriteLine(f);
    foreach (var writers in new[] { 1, 16 })
    {
        var c = results[("chokepoint", writers)];
        var p = results[("plain EF", writers)];
        var ratio = c.PerSecond / p.PerSecond;
        Console.WriteLine($"{writers,2} writers: chokepoint/plain EF = {ratio:F2} (target >= 0.80: {(ratio >= 0.8 ? "met" : "MISSED")})" +
            (writers == 16 ? $"; chokepoint p99 {c.Percentile(0.99):F1} ms (target <= 50 ms: {(c.Percentile(0.99) <= 50 ? "met" : "MISSED")})" : ""));
    }

    Console.WriteLine();
    await RestartSweep.RunAsync(factory, chokepoint, sweepAgents);
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

static async Task Flip(StatusChokepoint chokepoint, Guid agentId)
{
    var outcome = await chokepoint.UpdateStatusAsync<bool>(agentId, "bench", null, (t, _) =>
    {
        t.SetAgentHealth(t.Agent.Health == HealthStatus.Healthy ? HealthStatus.Unhealthy : HealthStatus.Healthy);
        return Task.FromResult<Outcome<bool>>(true);
    });
    if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
}
