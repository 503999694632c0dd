using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
        b.ToTable("Agents");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.Name).HasMaxLength(Agent.NameMaxLength).IsRequired();
        b.HasIndex(a => a.Name).IsUnique();
        b.Property(a => a.Description).HasMaxLength(Agent.DescriptionMaxLength);
        b.Property(a => a.AcpUrl).HasMaxLength(Agent.UrlMaxLength);
        b.Property(a => a.Health).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Sync).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.LastError).HasMaxLength(Agent.ErrorMaxLength);
        b.Property(a => a.DefaultGuardJson).HasMaxLength(Agent.DefaultGuardMaxLength);
        b.Ignore(a => a.DefaultGuard);
        b.Property(a => a.LastSequence).IsConcurrencyToken();
        b.Ignore(a => a.IsDeleted);
        b.HasIndex(a => a.Health);
        b.HasIndex(a => a.Sync);
    }
}
