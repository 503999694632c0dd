namespace Cutover.Core.Domain;

/// <summary>What a timeline/audit event records. Stored as a string, so new kinds append freely.</summary>
public enum EventKind
{
    Registered,
    Created,
    Ready,
    Failed,
    Promoted,
    Demoted,
    RolledBack,
    Deleted,
    Purged,
    HealthChanged,
    SyncChanged,
    AgentDeleted,
    // Guarded promotion: a guard began watching, ended clean, was aborted (or replaced), or reverted production.
    GuardStarted,
    GuardPassed,
    GuardAborted,
    // The limits were crossed but nothing was safe to revert to: production stays, people are told.
    GuardBreached,
    AutoReverted,
    // A non-production deployment's process was stopped, or started again.
    Stopped,
    Started,
    // Security audit (no agent): sign-in outcomes, tokens, users.
    SignInFailed,
    SignedIn,
    TokenCreated,
    TokenRevoked,
    UserCreated,
    UserDeleted,
}
