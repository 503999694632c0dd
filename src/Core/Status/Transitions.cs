using Cutover.Core.Domain;
using Cutover.Core.Provisioning;

namespace Cutover.Core.Status;

/// <summary>The one table of allowed status transitions. Anything not listed is refused.</summary>
public static class Transitions
{
    private static readonly HashSet<(DeploymentStatus, DeploymentStatus)> Deployment =
    [
        (DeploymentStatus.Pending, DeploymentStatus.Ready),
        (DeploymentStatus.Pending, DeploymentStatus.Failed),
        // A running deployment can die (process exit, lost registration).
        (DeploymentStatus.Ready, DeploymentStatus.Failed),
        // A deployment that was given up on (timed out) but then registers is really running.
        (DeploymentStatus.Failed, DeploymentStatus.Ready),
    ];

    private static readonly HashSet<(SyncStatus, SyncStatus)> Sync =
    [
        (SyncStatus.Unknown, SyncStatus.Syncing),
        (SyncStatus.Unknown, SyncStatus.Synced),
        (SyncStatus.Unknown, SyncStatus.OutOfSync),
        (SyncStatus.Synced, SyncStatus.Syncing),
        (SyncStatus.Synced, SyncStatus.OutOfSync),
        (SyncStatus.Synced, SyncStatus.Unknown),
        (SyncStatus.OutOfSync, SyncStatus.Syncing),
        (SyncStatus.OutOfSync, SyncStatus.Synced),
        (SyncStatus.OutOfSync, SyncStatus.Unknown),
        // Syncing must end in a terminal state; it never silently becomes Unknown.
        (SyncStatus.Syncing, SyncStatus.Synced),
        (SyncStatus.Syncing, SyncStatus.OutOfSync),
    ];

    private static readonly HashSet<(RunStatus, RunStatus)> Run =
    [
        (RunStatus.Running, RunStatus.Succeeded),
        (RunStatus.Running, RunStatus.Failed),
        // Cutover stopped (crashed or shut down) while the run was in flight.
        (RunStatus.Running, RunStatus.Interrupted),
        // A teardown by hand may begin while agents are still being woken.
        (RunStatus.Running, RunStatus.TearingDown),
        (RunStatus.Succeeded, RunStatus.TearingDown),
        (RunStatus.Failed, RunStatus.TearingDown),
        (RunStatus.Interrupted, RunStatus.TearingDown),
        (RunStatus.TearingDown, RunStatus.TornDown),
        // A teardown that could not remove everything ends Failed, and may be run again.
        (RunStatus.TearingDown, RunStatus.Failed),
        (RunStatus.TearingDown, RunStatus.Interrupted),
    ];

    private static readonly HashSet<(LedgerStep, LedgerStep)> Ledger =
    [
        (LedgerStep.Pending, LedgerStep.Created),
        (LedgerStep.Pending, LedgerStep.Failed),
        // Torn down before it was created: nothing of it exists.
        (LedgerStep.Pending, LedgerStep.TornDown),
        (LedgerStep.Created, LedgerStep.Woken),
        (LedgerStep.Created, LedgerStep.Failed),
        (LedgerStep.Created, LedgerStep.TornDown),
        // A woken agent's process can die later.
        (LedgerStep.Woken, LedgerStep.Failed),
        (LedgerStep.Woken, LedgerStep.TornDown),
        (LedgerStep.Failed, LedgerStep.TornDown),
    ];

    /// <summary>A guard watches, then ends once: passed, reverted, aborted (or replaced), or breached with nowhere to go.</summary>
    public static bool IsAllowed(Guards.GuardStatus from, Guards.GuardStatus to) =>
        from == Guards.GuardStatus.Watching && to != Guards.GuardStatus.Watching;

    public static bool IsAllowed(RunStatus from, RunStatus to) => Run.Contains((from, to));

    public static bool IsAllowed(LedgerStep from, LedgerStep to) => Ledger.Contains((from, to));

    public static bool IsAllowed(DeploymentStatus from, DeploymentStatus to) => Deployment.Contains((from, to));

    public static bool IsAllowed(SyncStatus from, SyncStatus to) => Sync.Contains((from, to));

    /// <summary>Health follows observation: every change between different values is allowed.</summary>
    public static bool IsAllowed(HealthStatus from, HealthStatus to) => from != to;

    /// <summary>The refusal to delete (or purge) the production deployment, wherever it is decided or shown.</summary>
    public const string CannotDeleteProduction = "The production deployment cannot be deleted; promote another one first.";

    /// <summary>
    /// The one rule for "can serve production" (promote, rollback's target, a preview route, the UI's offer): only a
    /// Ready, not deleted deployment. Null when it can, else why not.
    /// </summary>
    public static string? CannotServeProduction(DeploymentStatus status, bool isDeleted) =>
        isDeleted ? "The deployment is deleted."
        : status != DeploymentStatus.Ready ? $"The deployment is {status}, not Ready."
        : null;

    public static string? CannotServeProduction(Domain.Deployment d) => CannotServeProduction(d.Status, d.IsDeleted);
}
