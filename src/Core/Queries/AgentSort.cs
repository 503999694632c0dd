namespace Cutover.Core.Queries;

/// <summary>The columns the agents list can be sorted by; anything else falls back to the name.</summary>
public enum AgentSort
{
    Name,
    Health,
    Sync,
    LastSeen,
    Deployments,
    ProductionImage,
}
