using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class GuardConfiguration : IEntityTypeConfiguration<Guard>
{
    public void Configure(EntityTypeBuilder<Guard> b)
    {
        b.ToTable("Guards");
        b.HasKey(g => g.Id);
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(g => g.EndHealth).HasConversion<string>().HasMaxLength(16);
        b.Property(g => g.StartedBy).HasMaxLength(TimelineEvent.ActorMaxLength).IsRequired();
        b.Property(g => g.Reason).HasMaxLength(Guard.ReasonMaxLength);
        b.Ignore(g => g.Settings);
        b.HasOne<Agent>().WithMany().HasForeignKey(g => g.AgentId).OnDelete(DeleteBehavior.Cascade);
        // At most one guard of an agent watches at a time: by structure, not only by the code that starts them.
        b.HasIndex(g => g.AgentId).IsUnique().HasFilter("\"Status\" = 'Watching'").HasDatabaseName("IX_Guards_OneWatchingPerAgent");
        b.HasIndex(g => new { g.AgentId, g.StartedAt });
        b.HasIndex(g => g.Status);
    }
}

internal sealed class GuardSampleConfiguration : IEntityTypeConfiguration<GuardSample>
{
    public void Configure(EntityTypeBuilder<GuardSample> b)
    {
        b.ToTable("GuardSamples");
        b.HasKey(s => new { s.GuardId, s.Reporter });
        b.Property(s => s.Reporter).HasMaxLength(GuardSample.ReporterMaxLength);
        b.HasOne<Guard>().WithMany().HasForeignKey(s => s.GuardId).OnDelete(DeleteBehavior.Cascade);
    }
}
