namespace Cutover.Core.Domain;

/// <summary>
/// A bearer token. The secret is shown once at creation; only its SHA-256 hash is stored. Agent tokens are bound
/// to one agent name, ci tokens to one source.
/// </summary>
public sealed class ApiToken
{
    public const int NameMaxLength = 100;

    private ApiToken()
    {
        Name = string.Empty;
        Prefix = string.Empty;
        Hash = string.Empty;
        CreatedBy = string.Empty;
    }

    public ApiToken(Guid id, string name, TokenKind kind, Role? role, string? agentName, string prefix, string hash,
        DateTime createdAt, DateTime? expiresAt, string createdBy, Guid? sourceId = null)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Role = role;
        AgentName = agentName;
        Prefix = prefix;
        Hash = hash;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        CreatedBy = createdBy;
        SourceId = sourceId;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public TokenKind Kind { get; private set; }

    /// <summary>The role of a personal token; null for agent tokens.</summary>
    public Role? Role { get; private set; }

    /// <summary>The agent an agent token is bound to; null for personal tokens.</summary>
    public string? AgentName { get; private set; }

    /// <summary>The source a ci token is bound to; null for other kinds.</summary>
    public Guid? SourceId { get; private set; }

    /// <summary>The readable start of the token (e.g. <c>cut_pat_AbC1</c>), for recognising it in lists.</summary>
    public string Prefix { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the whole token text.</summary>
    public string Hash { get; set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public string CreatedBy { get; private set; }

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
