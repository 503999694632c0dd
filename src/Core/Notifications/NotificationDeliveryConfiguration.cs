using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cutover.Core.Notifications;

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.ToTable("NotificationDeliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.Event).HasMaxLength(NotificationDelivery.EventMaxLength).IsRequired();
        b.Property(d => d.Body).IsRequired();
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.LastError).HasMaxLength(NotificationDelivery.ErrorMaxLength);
        // No foreign key on purpose: a change's transaction may route to a subscription removed a moment ago (the
        // cached list), and an outbox insert must never fail the change it belongs to. Removing a subscription
        // removes its rows; the worker drops any that slipped in after.
        // The worker's query: due rows, oldest first.
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
    }
}
