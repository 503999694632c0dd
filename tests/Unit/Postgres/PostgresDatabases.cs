using Cutover.Core.Persistence;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Postgres;

/// <summary>A fresh, migrated database on the throwaway cluster, one per test.</summary>
internal static class PostgresDatabases
{
    public static async Task<IDbContextFactory<CutoverDbContext>> CreateAsync(PostgresServer pg, string name)
    {
        var database = $"cutover_{name}_{Guid.NewGuid():N}"[..40];
        var options = new DbContextOptionsBuilder<CutoverDbContext>().UseNpgsql(pg.ConnectionString(database),
            n => n.MigrationsAssembly(MigrationAssemblies.Postgres)).Options;
        await using (var db = new CutoverDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        return new ContextFactory(options);
    }
}
