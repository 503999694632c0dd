using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Persistence;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("Users");
        b.HasKey(u => u.Id);
        b.Property(u => u.Id).ValueGeneratedNever();
        b.Property(u => u.UserName).HasMaxLength(User.UserNameMaxLength).IsRequired();
        b.Property(u => u.NormalizedUserName).HasMaxLength(User.UserNameMaxLength).IsRequired();
        b.HasIndex(u => u.NormalizedUserName).IsUnique();
        b.Property(u => u.PasswordHash).HasMaxLength(512).IsRequired();
        b.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
    }
}
