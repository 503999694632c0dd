using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class TimelineEventConfiguration : IEntityTypeConfiguration<TimelineEvent>
{
    public void Configure(EntityTypeBuilder<TimelineEvent> b)
    {
        b.ToTable("Events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever(); // time-ordered v7 GUIDs: no provider-specific identity column
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Actor).HasMaxLength(TimelineEvent.ActorMaxLength).IsRequired();
        b.Property(e => e.Reason).HasMaxLength(TimelineEvent.ReasonMaxLength);
        b.Property(e => e.From).HasMaxLength(TimelineEvent.ValueMaxLength);
        b.Property(e => e.To).HasMaxLength(TimelineEvent.ValueMaxLength);
        // Events outlive purged deployments, so DeploymentId has no foreign key; agents are never hard-deleted.
        b.HasOne<Agent>().WithMany().HasForeignKey(e => e.AgentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.AgentId, e.Sequence }).IsUnique();
        b.HasIndex(e => e.At);
        b.HasIndex(e => e.Kind);
        b.HasIndex(e => e.Actor);
    }
}
