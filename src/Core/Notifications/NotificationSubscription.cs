namespace Cutover.Core.Notifications;

/// <summary>
/// An outbound webhook: where to POST, which events, and the secret that signs each body, stored encrypted
/// (<see cref="INotificationSecrets"/>) because signing needs it back; it is never shown again.
/// </summary>
public sealed class NotificationSubscription
{
    public const int NameMaxLength = 100;
    public const int UrlMaxLength = 2048;
    public const int SecretMaxLength = 1024;
    public const int EventsMaxLength = 512;

    private NotificationSubscription()
    {
        Name = string.Empty;
        Url = string.Empty;
        EventList = string.Empty;
        CreatedBy = string.Empty;
    }

    internal NotificationSubscription(Guid id, string name, string url, IEnumerable<string> events, string? protectedSecret, string createdBy, DateTime createdAt)
    {
        Id = id;
        Name = name;
        Url = url;
        EventList = string.Join(',', events);
        ProtectedSecret = protectedSecret;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public string Url { get; private set; }

    /// <summary>The event names, comma-separated (names never contain a comma).</summary>
    public string EventList { get; private set; }

    public IReadOnlyList<string> Events => EventList.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public string? ProtectedSecret { get; private set; }

    public bool HasSecret => ProtectedSecret is not null;

    public string CreatedBy { get; private set; }

    public DateTime CreatedAt { get; private set; }
}
