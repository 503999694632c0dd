namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// What a confirmation dialog closes with when the person confirmed; Cancel closes with nothing.
/// <see cref="ExpectedProductionDeploymentId"/> is the production the person saw when confirming (promote and roll
/// back send it, so a change that went stale is refused instead of applied).
/// <see cref="Guard"/> is the guard the person chose for a promote or rollback (null: none).
/// </summary>
public sealed record ConfirmedAction(string? Reason, Guid? ExpectedProductionDeploymentId = null, Core.Guards.GuardSettings? Guard = null);
