using Cutover.Core.Domain;

namespace Cutover.Core.Queries;

/// <summary>The one definition of "agents matching a name search and status filters", for the API and the dashboard.</summary>
public static class AgentFilter
{
    public static IQueryable<Agent> Apply(IQueryable<Agent> agents, string? search, HealthStatus? health, SyncStatus? sync)
    {
        // A deleted agent leaves every list (API.md DELETE /api/agents/{id}).
        agents = Live(agents);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Lower on both sides: case-insensitive on SQLite and PostgreSQL alike, without provider functions.
            var term = search.Trim().ToLowerInvariant();
            agents = agents.Where(a => a.Name.ToLower().Contains(term));
        }

        if (health is { } h) agents = agents.Where(a => a.Health == h);
        if (sync is { } s) agents = agents.Where(a => a.Sync == s);
        return agents;
    }

    /// <summary>Agents that are not deleted.</summary>
    public static IQueryable<Agent> Live(IQueryable<Agent> agents) => agents.Where(a => a.DeletedAt == null);
}
