namespace Cutover.Core.Sources;

/// <summary>
/// An agent a source declares (one row per agent name: an agent is declared by at most one source), with what was
/// declared at the last sync that touched it.
/// </summary>
public sealed class SourceAgent
{
    private SourceAgent()
    {
        AgentName = string.Empty;
        Image = string.Empty;
        Commit = string.Empty;
    }

    internal SourceAgent(Guid sourceId, string agentName, Guid agentId)
    {
        SourceId = sourceId;
        AgentName = agentName;
        AgentId = agentId;
        Image = string.Empty;
        Commit = string.Empty;
    }

    public Guid SourceId { get; private set; }

    public string AgentName { get; private set; }

    public Guid AgentId { get; private set; }

    public string Image { get; private set; }

    public string Commit { get; private set; }

    public DateTime? LastSyncedAt { get; private set; }

    internal void Declared(string image, string commit, DateTime at)
    {
        Image = image;
        Commit = commit;
        LastSyncedAt = at;
    }
}
