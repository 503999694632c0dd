using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cutover.Tests.Unit.Security;

/// <summary>Creates users and tokens through the real API with the bootstrap admin token.</summary>
public static class SecurityApi
{
    public const string GoodPassword = "correct horse battery staple";

    public static async Task<JsonElement> CreateUserAsync(HttpClient admin, string userName, string role, string password = GoodPassword)
    {
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, password, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Creates a token and returns (id, text).</summary>
    public static async Task<(Guid Id, string Text)> CreateTokenAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/tokens", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("id").GetGuid(), json.GetProperty("token").GetString()!);
    }

    public static Task<(Guid Id, string Text)> CreatePersonalTokenAsync(HttpClient admin, string role, DateTimeOffset? expiresAt = null) =>
        CreateTokenAsync(admin, new { name = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}", kind = "personal", role, expiresAt });

    public static Task<(Guid Id, string Text)> CreateAgentTokenAsync(HttpClient admin, string agentName) =>
        CreateTokenAsync(admin, new { name = $"agent-{agentName}", kind = "agent", agentName });

    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("detail").GetString() ?? "";
    }
}
