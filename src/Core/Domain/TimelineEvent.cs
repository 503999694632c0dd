namespace Cutover.Core.Domain;

/// <summary>
/// One entry of an agent's timeline and of the audit trail. Agent events carry a per-agent sequence number;
/// security events (sign-in, tokens, users) have no agent.
/// </summary>
public sealed class TimelineEvent
{
    public const int ActorMaxLength = 200;
    public const int ReasonMaxLength = 1000;
    public const int ValueMaxLength = 512;

    private TimelineEvent()
    {
        Actor = string.Empty;
    }

    internal TimelineEvent(Guid? agentId, Guid? deploymentId, EventKind kind, string actor, string? reason,
        string? from, string? to, DateTime at, long? sequence)
    {
        AgentId = agentId;
        DeploymentId = deploymentId;
        Kind = kind;
        Actor = Clip(actor, ActorMaxLength)!;
        Reason = Clip(reason, ReasonMaxLength);
        From = Clip(from, ValueMaxLength);
        To = Clip(to, ValueMaxLength);
        At = at;
        Sequence = sequence;
    }

    /// <summary>Creates an audit event that belongs to no agent (sign-in, tokens, users).</summary>
    public static TimelineEvent Audit(EventKind kind, string actor, string? reason, string? subject, DateTime at) =>
        new(null, null, kind, actor, reason, null, subject, at, null);

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid? AgentId { get; private set; }

    public Guid? DeploymentId { get; private set; }

    public EventKind Kind { get; private set; }

    public string Actor { get; private set; }

    public string? Reason { get; private set; }

    public string? From { get; private set; }

    public string? To { get; private set; }

    public DateTime At { get; private set; }

    public long? Sequence { get; private set; }

    private static string? Clip(string? s, int max) => s is { Length: > 0 } && s.Length > max ? s[..max] : s;
}
