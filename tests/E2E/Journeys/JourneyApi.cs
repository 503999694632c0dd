using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.E2E.Journeys;

/// <summary>What the journeys need from the real app's HTTP API: seeding agents, reading state, acting from outside.</summary>
internal static class JourneyApi
{
    /// <summary>
    /// Registers <paramref name="name"/> once per deployment (deployment-scoped registration makes each Ready; the
    /// first becomes production), as a real agent's pods would.
    /// </summary>
    public static async Task<SeededAgent> RegisterAgentAsync(AppProcess app, string name, int deployments)
    {
        using var client = app.CreateClient();
        var seeded = new List<SeededDeployment>();
        Guid agentId = default;
        for (var i = 1; i <= deployments; i++)
        {
            var d = new SeededDeployment(Guid.NewGuid(), $"registry.example.com/{name}:1.{i}.0",
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), i == deployments ? "feature/faster-search" : "main",
                i % 2 == 0 ? "Ada Lovelace" : "Grace Hopper");
            var response = await client.PostAsJsonAsync("api/agents/register", new
            {
                name,
                description = "Answers questions about orders",
                acpUrl = $"http://127.0.0.1:9/{name}/{i}",
                registrationMetadata = new { deploymentId = d.Id, dockerImage = d.Image, commitHash = d.Commit, branch = d.Branch, authorName = d.Author },
            });
            await EnsureAsync(response);
            agentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            seeded.Add(d);
        }

        return new SeededAgent(agentId, name, seeded);
    }

    public static async Task<Guid?> ProductionDeploymentIdAsync(AppProcess app, Guid agentId)
    {
        using var client = app.CreateClient();
        var agent = await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}");
        var p = agent.GetProperty("productionDeploymentId");
        return p.ValueKind == JsonValueKind.Null ? null : p.GetGuid();
    }

    public static async Task PromoteAsync(AppProcess app, Guid agentId, Guid deploymentId, string reason)
    {
        using var client = app.CreateClient();
        await EnsureAsync(await client.PostAsJsonAsync($"api/agents/{agentId}/deployments/{deploymentId}/promote", new { reason }));
    }

    /// <summary>
    /// A Viewer token. Written straight into the app's database as the token store keeps it (SHA-256 hex of the
    /// text) until POST /api/tokens is available on main; then this can call that instead.
    /// </summary>
    public static async Task<string> CreateViewerTokenAsync(AppProcess app)
    {
        var token = "cut_pat_e2eviewer" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "ApiTokens" ("Id", "Name", "Kind", "Role", "AgentName", "Prefix", "Hash", "CreatedAt", "CreatedBy")
            VALUES ($id, 'e2e-viewer', 'Personal', 'Viewer', NULL, $prefix, $hash, $now, 'e2e')
            """;
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$prefix", token[..12]);
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff"));
        await command.ExecuteNonQueryAsync();
        return token;
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent) return;
        throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
