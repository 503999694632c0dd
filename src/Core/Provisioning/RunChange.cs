namespace Cutover.Core.Provisioning;

/// <summary>
/// One committed change of a run (its status, or one ledger row's step), published after its transaction commits.
/// A ledger change carries the row's whole state, so a page can upsert it without a query. <see cref="Sequence"/> is
/// the run's version: consecutive per run.
/// </summary>
public sealed record RunChange(
    Guid RunId,
    RunStatus Status,
    Guid? EntryId,
    string? AgentName,
    Guid? AgentId,
    Guid? DeploymentId,
    LedgerStep? Step,
    string? Error,
    long Sequence,
    DateTime At);
