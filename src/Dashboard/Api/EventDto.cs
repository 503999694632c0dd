using Cutover.Core.Domain;

namespace Cutover.Dashboard.Api;

public sealed record EventDto(
    Guid Id,
    Guid? AgentId,
    Guid? DeploymentId,
    EventKind Kind,
    string Actor,
    string? Reason,
    string? From,
    string? To,
    DateTime At,
    long? Sequence)
{
    public static EventDto Of(TimelineEvent e) =>
        new(e.Id, e.AgentId, e.DeploymentId, e.Kind, e.Actor, e.Reason, e.From, e.To, e.At, e.Sequence);
}
