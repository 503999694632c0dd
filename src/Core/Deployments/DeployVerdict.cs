using Cutover.Core.Domain;

namespace Cutover.Core.Deployments;

/// <summary>
/// The terminal judgement of a deploy: the deployment's status, the agent's sync, and the reason people will read.
/// <see cref="StopProcess"/> asks for the process to be stopped before the status is written (a late registration
/// must not revive a deployment that was given up on).
/// </summary>
public sealed record DeployVerdict(
    bool Succeeded,
    DeploymentStatus Status,
    SyncStatus Sync,
    string? Reason,
    bool StopProcess,
    bool ProcessDied);
