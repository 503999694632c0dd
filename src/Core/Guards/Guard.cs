using Cutover.Core.Domain;

namespace Cutover.Core.Guards;

/// <summary>
/// A watch over a fresh production deployment (window, thresholds, evidence, verdict). Its status changes only
/// through the chokepoint (<see cref="Status.StatusTransaction"/>); at most one guard of an agent is Watching.
/// </summary>
public sealed class Guard
{
    public const int ReasonMaxLength = 2000;

    private Guard()
    {
        StartedBy = string.Empty;
    }

    internal Guard(Guid id, Guid agentId, Guid deploymentId, Guid? previousDeploymentId, GuardSettings settings, DateTime startedAt,
        string startedBy)
    {
        Id = id;
        AgentId = agentId;
        DeploymentId = deploymentId;
        PreviousDeploymentId = previousDeploymentId;
        Window = settings.Window;
        MaxErrorRate = settings.MaxErrorRate;
        MinRequests = settings.MinRequests;
        RequireHealthy = settings.RequireHealthy;
        StartedAt = startedAt;
        EndsAt = startedAt + settings.Window;
        StartedBy = startedBy;
        Status = GuardStatus.Watching;
    }

    public Guid Id { get; private set; }

    public Guid AgentId { get; private set; }

    /// <summary>The production deployment it watches.</summary>
    public Guid DeploymentId { get; private set; }

    /// <summary>The last known good deployment, chosen when the guard began: where a revert goes (null: nowhere).</summary>
    public Guid? PreviousDeploymentId { get; private set; }

    public TimeSpan Window { get; private set; }

    public double MaxErrorRate { get; private set; }

    public int MinRequests { get; private set; }

    public bool RequireHealthy { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime EndsAt { get; private set; }

    public string StartedBy { get; private set; }

    public GuardStatus Status { get; private set; }

    public DateTime? EndedAt { get; private set; }

    /// <summary>Why it ended: the evidence of a revert or breach, who aborted, what replaced it.</summary>
    public string? Reason { get; private set; }

    /// <summary>The evidence when it ended (while Watching, read live from the traffic samples).</summary>
    public long? EndRequests { get; private set; }

    public long? EndErrors { get; private set; }

    public HealthStatus? EndHealth { get; private set; }

    /// <summary>The deployment a revert returned production to.</summary>
    public Guid? RevertedToDeploymentId { get; private set; }

    public GuardSettings Settings => new(Window, MaxErrorRate, MinRequests, RequireHealthy);

    public bool IsWatching => Status == GuardStatus.Watching;

    internal void WriteEnd(GuardStatus status, DateTime at, string? reason, GuardEvidence? evidence, Guid? revertedTo)
    {
        Status = status;
        EndedAt = at;
        Reason = reason is { Length: > ReasonMaxLength } ? reason[..ReasonMaxLength] : reason;
        EndRequests = evidence?.Requests;
        EndErrors = evidence?.Errors;
        EndHealth = evidence?.Health;
        RevertedToDeploymentId = revertedTo;
    }
}
