using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    /// <summary>
    /// The filter of the "one production deployment per agent" index. A bare boolean column is a valid predicate on
    /// both SQLite (0/1 integer) and PostgreSQL (boolean), so one model serves both.
    /// </summary>
    public const string ProductionFilter = "\"IsProduction\"";

    public void Configure(EntityTypeBuilder<Deployment> b)
    {
        b.ToTable("Deployments");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.DockerImage)
            .HasConversion(v => v.Value, v => DockerImage.Parse(v))
            .HasMaxLength(DockerImage.MaxLength)
            .IsRequired();
        b.Property(d => d.MetadataJson).HasColumnName("RegistrationMetadata").IsRequired();
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Health).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.StatusDetail).HasMaxLength(Agent.ErrorMaxLength);
        b.Property(d => d.AcpUrl).HasMaxLength(Agent.UrlMaxLength);
        b.Property(d => d.PromotedBy).HasMaxLength(TimelineEvent.ActorMaxLength);
        b.Ignore(d => d.IsDeleted);
        b.Ignore(d => d.Metadata);
        b.HasOne<Agent>().WithMany().HasForeignKey(d => d.AgentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.AgentId, d.CreatedAt });
        b.HasIndex(d => d.AgentId).IsUnique().HasFilter(ProductionFilter).HasDatabaseName("IX_Deployments_OneProductionPerAgent");
        b.HasIndex(d => d.ExpiresAt);
    }
}
