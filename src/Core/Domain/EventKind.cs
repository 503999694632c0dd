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
    // Security audit (no agent): sign-in outcomes, tokens, users.
    SignInFailed,
    SignedIn,
    TokenCreated,
    TokenRevoked,
    UserCreated,
    UserDeleted,
}
