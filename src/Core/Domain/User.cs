namespace Cutover.Core.Domain;

/// <summary>A person who signs in to the dashboard. Only a password hash is stored.</summary>
public sealed class User
{
    public const int UserNameMaxLength = 64;

    private User()
    {
        UserName = string.Empty;
        PasswordHash = string.Empty;
    }

    public User(Guid id, string userName, string passwordHash, Role role, DateTime createdAt)
    {
        Id = id;
        UserName = userName;
        NormalizedUserName = Normalize(userName);
        PasswordHash = passwordHash;
        Role = role;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string UserName { get; private set; }

    public string NormalizedUserName { get; private set; } = string.Empty;

    public string PasswordHash { get; set; }

    public Role Role { get; set; }

    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    /// <summary>
    /// Stamped into each sign-in cookie; signing out bumps it, so every cookie issued before (a copy replayed after
    /// sign-out included) stops working on the server, not only in the browser that signed out.
    /// </summary>
    public int SessionGeneration { get; set; }

    public DateTime CreatedAt { get; private set; }

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}
