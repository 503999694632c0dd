using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>What to create: a personal token with a role, or an agent token bound to one agent name.</summary>
public sealed record NewToken(string? Name, TokenKind Kind, Role? Role, string? AgentName, DateTimeOffset? ExpiresAt);
