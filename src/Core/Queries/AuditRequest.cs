using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>
/// Audit filters. <see cref="AgentId"/> selects one agent exactly; <see cref="AgentName"/> matches a part of a
/// name; <see cref="SecurityOnly"/> keeps only events with no agent (sign-ins, tokens, users).
/// </summary>
public sealed record AuditRequest(
    int Skip = 0,
    int Take = 50,
    Guid? AgentId = null,
    string? AgentName = null,
    EventKind? Kind = null,
    string? Actor = null,
    DateTime? From = null,
    DateTime? To = null,
    bool SecurityOnly = false);
