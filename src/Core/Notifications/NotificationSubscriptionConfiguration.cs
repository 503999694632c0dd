using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Notifications;

internal sealed class NotificationSubscriptionConfiguration : IEntityTypeConfiguration<NotificationSubscription>
{
    public void Configure(EntityTypeBuilder<NotificationSubscription> b)
    {
        b.ToTable("NotificationSubscriptions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Name).HasMaxLength(NotificationSubscription.NameMaxLength).IsRequired();
        b.Property(s => s.Url).HasMaxLength(NotificationSubscription.UrlMaxLength).IsRequired();
        b.Property(s => s.EventList).HasMaxLength(NotificationSubscription.EventsMaxLength).IsRequired();
        // Data Protection's output is longer than the secret it protects.
        b.Property(s => s.ProtectedSecret).HasMaxLength(NotificationSubscription.SecretMaxLength * 4);
        b.Property(s => s.CreatedBy).HasMaxLength(200).IsRequired();
        b.Ignore(s => s.Events);
        b.Ignore(s => s.HasSecret);
    }
}
