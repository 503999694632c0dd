namespace Cutover.Core.Provisioning;

/// <summary>
/// A spec applied: its agents are the rows of its ledger (<see cref="LedgerEntry"/>). Status changes only through
/// <see cref="RunTransaction"/>, handed out by the status chokepoint.
/// </summary>
public sealed class ProvisioningRun
{
    public const int NameMaxLength = 100;
    public const int ErrorMaxLength = 2000;

    private ProvisioningRun()
    {
        Name = string.Empty;
        CreatedBy = string.Empty;
    }

    internal ProvisioningRun(Guid id, string name, OnFailure onFailure, int maxConcurrent, string createdBy, DateTime createdAt)
    {
        Id = id;
        Name = name;
        OnFailure = onFailure;
        MaxConcurrent = maxConcurrent;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        Status = RunStatus.Running;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public RunStatus Status { get; private set; }

    public OnFailure OnFailure { get; private set; }

    public int MaxConcurrent { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? EndedAt { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The run's change sequence; also its optimistic concurrency token.</summary>
    public long Version { get; private set; }

    internal long NextVersion() => ++Version;

    internal void WriteStatus(RunStatus status, string? error, DateTime at)
    {
        Status = status;
        Error = error is { Length: > ErrorMaxLength } ? error[..ErrorMaxLength] : error;
        EndedAt = status is RunStatus.Running or RunStatus.TearingDown ? null : at;
    }
}
