using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.ToTable("ProvisioningLedger");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.AgentName).HasMaxLength(Agent.NameMaxLength).IsRequired();
        b.Property(e => e.Image).HasMaxLength(DockerImage.MaxLength).IsRequired();
        b.Property(e => e.Description).HasMaxLength(Agent.DescriptionMaxLength);
        b.Property(e => e.MetadataJson).IsRequired();
        b.Property(e => e.Step).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Error).HasMaxLength(ProvisioningRun.ErrorMaxLength);
        b.HasOne<ProvisioningRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.RunId, e.Position }).IsUnique();
        b.HasIndex(e => e.AgentId);
    }
}
