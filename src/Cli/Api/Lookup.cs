using System.Text.Json;

namespace Cutover.Cli.Api;

/// <summary>
/// Turns what a person types into ids: an agent by name (or id), a deployment by id or by any unique part of its id
/// (4 hex characters or more). Tables show the last 8 characters: Cutover's ids are time-ordered (GUID v7), so ids made close together
/// share their first characters and differ in their last.
/// </summary>
public static class Lookup
{
    public static async Task<(AgentView Agent, JsonElement Json)> AgentAsync(CutoverClient client, string nameOrId, CancellationToken cancellationToken)
    {
        var path = Guid.TryParse(nameOrId, out var id)
            ? $"api/agents/{id}"
            : $"api/agents/by-name/{Uri.EscapeDataString(nameOrId)}";
        var json = await client.GetAsync<JsonElement>(path, cancellationToken);
        return (json.Deserialize<AgentView>(CutoverClient.Json)!, json);
    }

    public static async Task<List<(DeploymentView View, JsonElement Json)>> DeploymentsAsync(CutoverClient client, Guid agentId, bool includeDeleted,
        CancellationToken cancellationToken)
    {
        var json = await client.GetAsync<JsonElement>($"api/agents/{agentId}/deployments?includeDeleted={(includeDeleted ? "true" : "false")}", cancellationToken);
        return json.EnumerateArray().Select(e => (e.Deserialize<DeploymentView>(CutoverClient.Json)!, e)).ToList();
    }

    public static async Task<DeploymentView> DeploymentAsync(CutoverClient client, AgentView agent, string idOrPrefix, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(idOrPrefix, out var id))
            return await client.GetAsync<DeploymentView>($"api/agents/{agent.Id}/deployments/{id}", cancellationToken);

        var prefix = idOrPrefix.Trim().ToLowerInvariant();
        if (prefix.Length < 4 || !prefix.All(Uri.IsHexDigit))
            throw new CliException(ExitCodes.Usage, $"'{idOrPrefix}' is not a deployment id (a GUID, or at least 4 hex characters of it).");
        var matches = (await DeploymentsAsync(client, agent.Id, includeDeleted: false, cancellationToken))
            .Select(d => d.View).Where(d => d.Id.ToString("N").Contains(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException(ExitCodes.NotFound, $"Not found: {agent.Name} has no deployment whose id contains '{idOrPrefix}'."),
            _ => throw new CliException(ExitCodes.Usage, $"'{idOrPrefix}' matches {matches.Count} deployments of {agent.Name}: give more characters."),
        };
    }

    /// <summary>The last 8 characters of an id, as tables show it.</summary>
    public static string Short(Guid? id) => id is { } g ? g.ToString("N")[^8..] : "-";
}
