using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>A timeline or audit entry; <see cref="AgentName"/> is filled where the list spans agents.</summary>
public sealed record EventRow(
    Guid Id,
    Guid? AgentId,
    string? AgentName,
    Guid? DeploymentId,
    EventKind Kind,
    string Actor,
    string? Reason,
    string? From,
    string? To,
    DateTime At,
    long? Sequence);
