using Cutover.Core.Status;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The hub's <c>StatusChanged</c> payload: <c>{ agentId, deploymentId?, field, from, to, sequence, at }</c> (camelCase
/// by the hub's JSON protocol). <c>sequence</c> is consecutive per agent, so a client that sees a gap reloads.
/// </summary>
public sealed record StatusChangeMessage(
    Guid AgentId,
    Guid? DeploymentId,
    string Field,
    string? From,
    string? To,
    long Sequence,
    DateTime At)
{
    public static StatusChangeMessage Of(StatusChange c) => new(c.AgentId, c.DeploymentId, c.Field, c.From, c.To, c.Sequence, c.At);
}
