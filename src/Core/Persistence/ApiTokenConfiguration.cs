using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("ApiTokens");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(ApiToken.NameMaxLength).IsRequired();
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Role).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.AgentName).HasMaxLength(Agent.NameMaxLength);
        b.Property(t => t.Prefix).HasMaxLength(32).IsRequired();
        b.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        b.Property(t => t.CreatedBy).HasMaxLength(TimelineEvent.ActorMaxLength).IsRequired();
        b.HasIndex(t => t.Hash).IsUnique();
    }
}
