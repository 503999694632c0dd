using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Cutover.Dashboard.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// A real SQLite database in a temp file, migrated exactly as the app migrates it, with the Core services wired
/// as the app wires them. Dispose deletes the file.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase(TimeProvider? time = null, DeploymentOptions? options = null)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cutover-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "cutover.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
        Time = time ?? TimeProvider.System;
        Factory = new ContextFactory(BuildOptions(ConnectionString));
        using (var db = Factory.CreateDbContext())
        {
            db.Database.Migrate();
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }

        Bus = new StatusBus();
        Gate = new SingleWriterGate();
        Chokepoint = new StatusChokepoint(Factory, Bus, Gate, Time, NullLogger<StatusChokepoint>.Instance);
        Sync = new SyncRunner(Chokepoint, Time, NullLogger<SyncRunner>.Instance);
        Deployments = new DeploymentService(Chokepoint, Factory, Options.Create(options ?? new DeploymentOptions()), Time);
    }

    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString { get; }

    public TimeProvider Time { get; }

    public IDbContextFactory<CutoverDbContext> Factory { get; }

    public StatusBus Bus { get; }

    public IWriteGate Gate { get; }

    public StatusChokepoint Chokepoint { get; }

    public SyncRunner Sync { get; }

    public DeploymentService Deployments { get; }

    public CutoverDbContext Open() => Factory.CreateDbContext();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine is left for the OS temp cleaner.
        }
    }

    public static DbContextOptions<CutoverDbContext> BuildOptions(string connectionString) =>
        new DbContextOptionsBuilder<CutoverDbContext>()
            .UseSqlite(connectionString, s => s.MigrationsAssembly(MigrationAssemblies.Sqlite))
            .AddInterceptors(new SqlitePragmaInterceptor())
            .Options;
}
