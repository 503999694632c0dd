namespace Cutover.Cli.Api;

/// <summary>One entry of <c>GET /api/sources/{id}/syncs</c>.</summary>
public sealed record SyncView(Guid Id, string Trigger, string? Commit, string Status, DateTime StartedAt, DateTime? EndedAt, string? Error,
    List<SyncAgentView> Agents)
{
    public bool Settled => Status is "Succeeded" or "Failed";
}

/// <summary>What a sync did for one agent.</summary>
public sealed record SyncAgentView(string Name, string Action, Guid? DeploymentId, string? Detail);
