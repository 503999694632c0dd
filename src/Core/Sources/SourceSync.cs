namespace Cutover.Core.Sources;

/// <summary>One run of the sync entry point: what triggered it, the commit it synced, and what it did per agent.</summary>
public sealed class SourceSync
{
    private SourceSync()
    {
        AgentsJson = "[]";
    }

    internal SourceSync(Guid id, Guid sourceId, SyncTrigger trigger, DateTime startedAt)
    {
        Id = id;
        SourceId = sourceId;
        Trigger = trigger;
        StartedAt = startedAt;
        Status = SourceStatus.Syncing;
        AgentsJson = "[]";
    }

    public Guid Id { get; private set; }

    public Guid SourceId { get; private set; }

    public SyncTrigger Trigger { get; private set; }

    public string? Commit { get; private set; }

    public SourceStatus Status { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime? EndedAt { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The per-agent outcomes (<see cref="SyncAgentResult"/>[]) as JSON.</summary>
    public string AgentsJson { get; private set; }

    public IReadOnlyList<SyncAgentResult> Agents => SyncAgentResult.ReadAll(AgentsJson);

    internal void End(SourceStatus status, string? commit, string? error, IReadOnlyList<SyncAgentResult> agents, DateTime at)
    {
        Status = status;
        Commit = commit;
        Error = error is { Length: > Source.ErrorMaxLength } e ? e[..Source.ErrorMaxLength] : error;
        AgentsJson = SyncAgentResult.WriteAll(agents);
        EndedAt = at;
    }
}
