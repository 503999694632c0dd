using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Persistence;

/// <summary>
/// The one EF Core model. Provider-neutral: no provider-specific column types, so the same model and migrations
/// serve SQLite (embedded default) and PostgreSQL (scale-out).
/// </summary>
public sealed class CutoverDbContext(DbContextOptions<CutoverDbContext> options) : DbContext(options)
{
    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<TimelineEvent> Events => Set<TimelineEvent>();

    public DbSet<User> Users => Set<User>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ProvisioningRun> ProvisioningRuns => Set<ProvisioningRun>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<Guards.Guard> Guards => Set<Guards.Guard>();

    public DbSet<Guards.GuardSample> GuardSamples => Set<Guards.GuardSample>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CutoverDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite hands DateTime back as Unspecified, so the converter restores the kind.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
