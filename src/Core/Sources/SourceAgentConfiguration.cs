using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Sources;

internal sealed class SourceAgentConfiguration : IEntityTypeConfiguration<SourceAgent>
{
    public void Configure(EntityTypeBuilder<SourceAgent> b)
    {
        b.ToTable("SourceAgents");
        // One source per agent name: two sources declaring one agent would fight over its image.
        b.HasKey(a => a.AgentName);
        b.Property(a => a.AgentName).HasMaxLength(Agent.NameMaxLength);
        b.HasIndex(a => a.SourceId);
        b.Property(a => a.Image).HasMaxLength(DockerImage.MaxLength).IsRequired();
        b.Property(a => a.Commit).HasMaxLength(Source.CommitMaxLength).IsRequired();
        b.HasOne<Source>().WithMany().HasForeignKey(a => a.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
