using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Sources;

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> b)
    {
        b.ToTable("Sources");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Name).HasMaxLength(Source.NameMaxLength).IsRequired();
        b.HasIndex(s => s.Name).IsUnique();
        b.Property(s => s.RepoUrl).HasMaxLength(Source.UrlMaxLength).IsRequired();
        b.Property(s => s.Branch).HasMaxLength(Source.BranchMaxLength).IsRequired();
        b.Property(s => s.Path).HasMaxLength(Source.PathMaxLength).IsRequired();
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.LastCommit).HasMaxLength(Source.CommitMaxLength);
        b.Property(s => s.LastCommitMessage).HasMaxLength(Source.ErrorMaxLength);
        b.Property(s => s.LastCommitAuthor).HasMaxLength(Source.NameMaxLength * 2);
        b.Property(s => s.LastError).HasMaxLength(Source.ErrorMaxLength);
    }
}
