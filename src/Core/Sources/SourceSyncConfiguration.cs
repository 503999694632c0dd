using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Sources;

internal sealed class SourceSyncConfiguration : IEntityTypeConfiguration<SourceSync>
{
    public void Configure(EntityTypeBuilder<SourceSync> b)
    {
        b.ToTable("SourceSyncs");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasIndex(s => new { s.SourceId, s.StartedAt });
        b.Property(s => s.Trigger).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.Commit).HasMaxLength(Source.CommitMaxLength);
        b.Property(s => s.Error).HasMaxLength(Source.ErrorMaxLength);
        b.Property(s => s.AgentsJson).IsRequired();
        b.Ignore(s => s.Agents);
        b.HasOne<Source>().WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
