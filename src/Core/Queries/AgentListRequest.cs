using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>What the agents overview asks for: one page, optionally searched by name and filtered by status.</summary>
public sealed record AgentListRequest(
    int Skip = 0,
    int Take = 50,
    string? Search = null,
    HealthStatus? Health = null,
    SyncStatus? Sync = null,
    AgentSort Sort = AgentSort.Name,
    bool Descending = false)
{
    public const int MaxTake = 200;
}
