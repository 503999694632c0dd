namespace Cutover.Cli.Api;

/// <summary>API.md's provisioning <c>Run</c> (a dry run's plan has no id and status Planned).</summary>
public sealed record RunView(Guid? Id, string Name, string Status, string? OnFailure, int MaxConcurrent, bool DryRun, DateTime? CreatedAt,
    DateTime? EndedAt, string? Error, List<LedgerRowView> Ledger, long Sequence)
{
    /// <summary>The run stopped moving: provisioning ended (Succeeded or Failed), it was torn down, or Cutover stopped under it.</summary>
    public bool Settled => Status is "Succeeded" or "Failed" or "TornDown" or "Interrupted";

    /// <summary>A teardown ended: every row TornDown, or Failed saying how many remain.</summary>
    public bool TeardownSettled => Status is "TornDown" or "Failed";
}

/// <summary>One row of a run's ledger.</summary>
public sealed record LedgerRowView(Guid? Id, string AgentName, string Image, Guid? AgentId, Guid? DeploymentId, string Step, string? Error, DateTime? At);
