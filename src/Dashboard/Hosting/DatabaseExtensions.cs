using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Hosting;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "Cutover";
    public const string DefaultSqlite = "Data Source=data/cutover.db";

    /// <summary>
    /// Registers the DbContext factory for the configured provider (SQLite by default). Contexts are pooled: every
    /// status write, read model and Blazor component creates short-lived contexts, and pooling saves building one
    /// each time.
    /// </summary>
    public static WebApplicationBuilder AddCutoverDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);

        if (options.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Cutover:Database:Provider is Postgres but ConnectionStrings:Cutover is not set.");
            builder.Services.AddPooledDbContextFactory<CutoverDbContext>(o => o.UseNpgsql(connectionString,
                n => n.MigrationsAssembly(MigrationAssemblies.Postgres)));
            builder.Services.AddSingleton<IWriteGate, OpenWriteGate>();
        }
        else if (options.IsSqlite)
        {
            var sqlite = PrepareSqlite(connectionString ?? DefaultSqlite, builder.Environment.ContentRootPath);
            builder.Services.AddPooledDbContextFactory<CutoverDbContext>(o => o
                .UseSqlite(sqlite, s => s.MigrationsAssembly(MigrationAssemblies.Sqlite))
                .AddInterceptors(new SqlitePragmaInterceptor()));
            builder.Services.AddSingleton<IWriteGate, SingleWriterGate>();
        }
        else
        {
            throw new InvalidOperationException($"Unknown Cutover:Database:Provider '{options.Provider}'. Use Sqlite or Postgres.");
        }

        builder.Services.AddSingleton(new DatabaseInfo(options.IsPostgres ? "PostgreSQL" : "SQLite",
            DescribeLocation(options.IsPostgres, connectionString ?? DefaultSqlite, builder.Environment.ContentRootPath)));
        return builder;
    }

    /// <summary>Applies the migrations and turns on WAL (SQLite). Run before the app takes requests.</summary>
    public static async Task MigrateCutoverDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (dashboards) run while the one writer commits; it is a property of the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    /// <summary>Resolves a relative SQLite path against the content root and creates its folder.</summary>
    internal static string PrepareSqlite(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(csb.DataSource) ? csb.DataSource : Path.Combine(contentRoot, csb.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            csb.DataSource = Path.GetFullPath(path);
        }

        // Pooling keeps the per-connection pragmas cheap; the default command timeout (30 s) bounds busy waits.
        csb.Pooling = true;
        return csb.ToString();
    }

    private static string DescribeLocation(bool postgres, string connectionString, string contentRoot)
    {
        if (!postgres)
        {
            var csb = new SqliteConnectionStringBuilder(PrepareSqlite(connectionString, contentRoot));
            return csb.DataSource;
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Never show credentials: host, port and database only.
        return string.Join(", ", parts.Where(p =>
            p.StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            || p.StartsWith("Port=", StringComparison.OrdinalIgnoreCase)
            || p.StartsWith("Database=", StringComparison.OrdinalIgnoreCase)));
    }
}
