using System.Text.Json;

namespace Cutover.Cli.Api;

/// <summary>One page of <c>GET /api/agents</c>: the agents as the API sent them, and how many match in all.</summary>
public sealed record AgentPage(List<JsonElement> Items, int Total);
