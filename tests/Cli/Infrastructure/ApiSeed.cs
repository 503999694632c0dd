using System.Net.Http.Json;
using System.Text.Json;

namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>Creates agents and Ready deployments through the real HTTP API (deployment-scoped registration).</summary>
public static class ApiSeed
{
    /// <summary>Registers <paramref name="agent"/> with a new Ready deployment of <paramref name="image"/>; returns its ids.</summary>
    public static async Task<(Guid AgentId, Guid DeploymentId)> ReadyAsync(HttpClient admin, string agent, string image,
        string acpUrl = "http://127.0.0.1:9/rpc")
    {
        var deploymentId = Guid.NewGuid();
        var response = await admin.PostAsJsonAsync("api/agents/register", new
        {
            name = agent,
            acpUrl,
            registrationMetadata = new { deploymentId, dockerImage = image },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("id").GetGuid(), deploymentId);
    }

    public static async Task PromoteAsync(HttpClient admin, Guid agentId, Guid deploymentId)
    {
        var response = await admin.PostAsJsonAsync($"api/agents/{agentId}/deployments/{deploymentId}/promote", new { reason = "test" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<Guid?> ProductionAsync(HttpClient admin, Guid agentId)
    {
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"api/agents/{agentId}"));
        var p = doc.RootElement.GetProperty("productionDeploymentId");
        return p.ValueKind == JsonValueKind.Null ? null : p.GetGuid();
    }
}
