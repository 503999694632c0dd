using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cutover.Migrations.Postgres;

/// <summary>What <c>dotnet ef</c> uses to build the model for PostgreSQL; it never connects to this server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<CutoverDbContext>
{
    public CutoverDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<CutoverDbContext>()
        .UseNpgsql("Host=localhost;Database=cutover_design_time", o => o.MigrationsAssembly(MigrationAssemblies.Postgres))
        .Options);
}
