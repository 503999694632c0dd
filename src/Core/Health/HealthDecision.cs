using Cutover.Core.Domain;

namespace Cutover.Core.Health;

/// <summary>What an observation calls for: a status transition (a row and an event), a cheap stamp, or nothing.</summary>
public readonly record struct HealthDecision(HealthDecisionKind Kind, HealthStatus To)
{
    /// <summary>Inconclusive (e.g. one failed probe): nothing is known to be true now.</summary>
    public static readonly HealthDecision Inconclusive = new(HealthDecisionKind.NoWrite, default);

    /// <summary>The stored status is <paramref name="current"/> and was stamped recently: nothing to write.</summary>
    public static HealthDecision Unchanged(HealthStatus current) => new(HealthDecisionKind.NoWrite, current);

    public static HealthDecision Transition(HealthStatus to) => new(HealthDecisionKind.Transition, to);

    public static HealthDecision Touch(HealthStatus current) => new(HealthDecisionKind.Touch, current);
}
