using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>A token as lists show it: the readable prefix, never the secret or its hash.</summary>
public sealed record TokenSummary(
    Guid Id,
    string Name,
    TokenKind Kind,
    Role? Role,
    string? AgentName,
    string Prefix,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime? ExpiresAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt,
    Guid? SourceId = null)
{
    public static TokenSummary From(ApiToken t) =>
        new(t.Id, t.Name, t.Kind, t.Role, t.AgentName, t.Prefix, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.SourceId);

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
