using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cutover.Migrations.Sqlite;

/// <summary>What <c>dotnet ef</c> uses to build the model for SQLite; it never opens this database.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<CutoverDbContext>
{
    public CutoverDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<CutoverDbContext>()
        .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(MigrationAssemblies.Sqlite))
        .Options);
}
