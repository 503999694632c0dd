using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cutover.Tests.E2E.Live;

/// <summary>
/// Creates an agent and an agent token in the running app over HTTP. Two endpoints this relies on belong to other
/// engineers and may not be merged yet; until they are, the data is written straight into the app's SQLite file:
/// WAITS ON: POST /api/agents/register (lead, AgentsEndpoints) and POST /api/tokens (security engineer).
/// Remove the fallbacks once both have landed.
/// </summary>
internal static class LiveSeed
{
    public static async Task<Guid> AgentAsync(AppProcess app, string name)
    {
        using var admin = app.CreateClient();
        var response = await admin.PostAsJsonAsync("api/agents/register", new { name, acpUrl = "http://127.0.0.1:9/" });
        if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
        {
            response.EnsureSuccessStatusCode();
            var agent = await response.Content.ReadFromJsonAsync<JsonElement>();
            return agent.GetProperty("id").GetGuid();
        }

        // Fallback until the register endpoint lands: an agent row as EF stores it (GUIDs as upper-case text).
        var id = Guid.NewGuid();
        await ExecuteAsync(app, """
            INSERT INTO Agents (Id, Name, Description, AcpUrl, Health, Sync, ProductionDeploymentId, LastSeenAt, LastError, CreatedAt, LastSequence)
            VALUES ($id, $name, NULL, NULL, 'Unknown', 'Unknown', NULL, NULL, NULL, $now, 0)
            """, ("$id", id.ToString().ToUpperInvariant()), ("$name", name), ("$now", Now()));
        return id;
    }

    public static async Task<string> AgentTokenAsync(AppProcess app, string agentName)
    {
        using var admin = app.CreateClient();
        var response = await admin.PostAsJsonAsync("api/tokens", new { name = "e2e-" + agentName, kind = "agent", agentName });
        if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
        {
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }

        // Fallback until the token endpoint lands: only the hash is stored, as TokenSecrets does (SHA-256, lower-case hex).
        var token = "cut_agt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        await ExecuteAsync(app, """
            INSERT INTO ApiTokens (Id, Name, Kind, Role, AgentName, Prefix, Hash, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt, CreatedBy)
            VALUES ($id, $name, 'Agent', NULL, $agent, $prefix, $hash, $now, NULL, NULL, NULL, 'e2e')
            """, ("$id", Guid.NewGuid().ToString().ToUpperInvariant()), ("$name", "e2e-" + agentName), ("$agent", agentName),
            ("$prefix", token[..12]), ("$hash", hash), ("$now", Now()));
        return token;
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");

    private static async Task ExecuteAsync(AppProcess app, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
