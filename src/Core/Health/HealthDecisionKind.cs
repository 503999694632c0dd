namespace Cutover.Core.Health;

public enum HealthDecisionKind
{
    /// <summary>Nothing to write: the status is known and was stamped recently.</summary>
    NoWrite,

    /// <summary>Only refresh "last seen" (no event, no publish).</summary>
    Touch,

    /// <summary>The status changes (or is not known yet): write it through the chokepoint.</summary>
    Transition,
}
