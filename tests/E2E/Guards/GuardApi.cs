using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cutover.Tests.E2E.Guards;

/// <summary>What the guard tests need from Cutover's HTTP API.</summary>
internal static class GuardApi
{
    public const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"hello"}}""";

    public static async Task<HttpStatusCode> RpcAsync(HttpClient client, Guid agentId, string body = Call, Guid? deploymentId = null)
    {
        var path = deploymentId is { } d ? $"api/agents/{agentId}/deployments/{d}/rpc" : $"api/agents/{agentId}/rpc";
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>Registers a deployment of <paramref name="name"/> at <paramref name="url"/> (Ready at once); returns (agent, deployment).</summary>
    public static async Task<(Guid AgentId, Guid DeploymentId)> RegisterAsync(HttpClient client, string name, Uri url, string image)
    {
        var id = Guid.NewGuid();
        using var response = await client.PostAsJsonAsync("api/agents/register", new
        {
            name,
            acpUrl = url.ToString(),
            registrationMetadata = new { deploymentId = id, dockerImage = image, commitHash = "0123456789abcdef", branch = "main", authorName = "Ada" },
        });
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), id);
    }

    public static async Task<JsonElement> DeploymentAsync(HttpClient client, Guid agentId, Guid deploymentId) =>
        await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{deploymentId}");

    public static async Task<JsonElement?> GuardAsync(HttpClient client, Guid agentId)
    {
        using var response = await client.GetAsync($"api/agents/{agentId}/guard");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid?> ProductionAsync(HttpClient client, Guid agentId)
    {
        var agent = await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}");
        var p = agent.GetProperty("productionDeploymentId");
        return p.ValueKind == JsonValueKind.Null ? null : p.GetGuid();
    }

    public static async Task PromoteAsync(HttpClient client, Guid agentId, Guid deploymentId, object? guard)
    {
        using var response = await client.PostAsJsonAsync($"api/agents/{agentId}/deployments/{deploymentId}/promote", new { reason = "test", guard });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"promote: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls <paramref name="read"/> every 100 ms until <paramref name="done"/> holds, or fails after <paramref name="within"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, string what)
    {
        using var cts = new CancellationTokenSource(within);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        T last = default!;
        try
        {
            do
            {
                last = await read();
                if (done(last)) return last;
            }
            while (await timer.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"Timed out after {within} waiting for {what}; last: {last}");
    }

    public static Task<JsonElement> HealthyAsync(HttpClient client, Guid agentId, Guid deploymentId, TimeSpan within) =>
        UntilAsync(() => DeploymentAsync(client, agentId, deploymentId), d => d.GetProperty("health").GetString() == "Healthy", within,
            $"deployment {deploymentId} to be Healthy");
}
