using Cutover.Core.Domain;

namespace Cutover.Core.Status;

/// <summary>
/// One committed change, published after its transaction commits. <see cref="Sequence"/> is the agent's event
/// sequence: consecutive per agent, so a subscriber that sees a gap knows to reload.
/// </summary>
public sealed record StatusChange(
    Guid AgentId,
    Guid? DeploymentId,
    string Field,
    string? From,
    string? To,
    long Sequence,
    DateTime At,
    EventKind Kind,
    string Actor,
    string? Reason);
