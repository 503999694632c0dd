namespace Cutover.Cli.Api;

/// <summary>API.md's provisioning <c>Run</c> (a dry run's plan has no id and status Planned).</summary>
public sealed record RunView(Guid? Id, string Name, string Status, string? OnFailure, int MaxConcurrent, bool DryRun, DateTime? CreatedAt,
    DateTime? EndedAt, string? Error, List<LedgerRowView> Ledger, long Sequence)
{
    /// <summary>The run stopped moving: provisioning ended (Succeeded or Failed), it was torn down, or Cutover stopped under it.</summary>
    public bool Settled => Status is "Succeeded" or "Failed" or "TornDown" or "Interrupted";

    /// <summary>
    /// A teardown begun at <paramref name="begunAt"/> (the run's sequence then) ended: every row TornDown, or Failed
    /// saying how many remain. The teardown's 202 shows the run as it was before the teardown starts, so a run that
    /// was Failed already counts only once its sequence moved on (it passed through TearingDown).
    /// </summary>
    public bool TeardownSettled(long begunAt) => Status == "TornDown" || (Status == "Failed" && Sequence > begunAt);
}

/// <summary>One row of a run's ledger.</summary>
public sealed record LedgerRowView(Guid? Id, string AgentName, string Image, Guid? AgentId, Guid? DeploymentId, string Step, string? Error, DateTime? At);
