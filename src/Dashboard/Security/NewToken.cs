using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>What to create: a personal token with a role, an agent token bound to one agent name, or a ci token bound to one source.</summary>
public sealed record NewToken(string? Name, TokenKind Kind, Role? Role, string? AgentName, DateTimeOffset? ExpiresAt, Guid? SourceId = null);
