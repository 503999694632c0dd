using Cutover.Core.Provisioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class ProvisioningRunConfiguration : IEntityTypeConfiguration<ProvisioningRun>
{
    public void Configure(EntityTypeBuilder<ProvisioningRun> b)
    {
        b.ToTable("ProvisioningRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Name).HasMaxLength(ProvisioningRun.NameMaxLength).IsRequired();
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.OnFailure).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.CreatedBy).HasMaxLength(Cutover.Core.Domain.TimelineEvent.ActorMaxLength).IsRequired();
        b.Property(r => r.Error).HasMaxLength(ProvisioningRun.ErrorMaxLength);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => r.CreatedAt);
        b.HasIndex(r => r.Status);
    }
}
