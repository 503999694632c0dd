using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// Two real Cutover processes on one throwaway PostgreSQL cluster, as two nodes behind a load balancer would run:
/// node A starts first (and migrates), then node B. No health probes here (a probe would overwrite the health a
/// test reports); <see cref="TwoNodesProbing"/> probes every second, so the probe job's lease shows.
/// </summary>
public class TwoNodes : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public AppProcess A { get; private set; } = default!;

    public AppProcess B { get; private set; } = default!;

    public LoopbackAgent Agent { get; } = LoopbackAgent.Start();

    protected virtual bool Probing => false;

    /// <summary>More settings for both nodes (a derived fixture's own).</summary>
    protected virtual IReadOnlyDictionary<string, string> MoreSettings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        if (_postgres.Unavailable is { } why) throw new InvalidOperationException(why);
        var database = "cutover_" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Settings(string node) => new(MoreSettings)
        {
            ["ConnectionStrings:Cutover"] = _postgres.ConnectionString(database),
            ["Cutover:Database:Provider"] = "Postgres",
            ["Cutover:Node:Name"] = node,
            ["Cutover:Health:ProbesEnabled"] = Probing ? "true" : "false",
            ["Cutover:Health:ProbeInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Cutover"] = "Information",
        };
        A = await AppProcess.StartAsync(Settings("a"));
        B = await AppProcess.StartAsync(Settings("b"));
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Agent.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>Registers (on node A) an agent with <paramref name="deployments"/> Ready deployments on the loopback agent.</summary>
    public async Task<(Guid Agent, List<Guid> Deployments)> RegisterAsync(string name, int deployments)
    {
        using var client = A.CreateClient();
        var ids = new List<Guid>();
        Guid agentId = default;
        for (var i = 0; i < deployments; i++)
        {
            var id = Guid.NewGuid();
            using var response = await client.PostAsJsonAsync("api/agents/register", new
            {
                name,
                acpUrl = new Uri(Agent.Url, $"{name}/{i}").ToString(),
                registrationMetadata = new { deploymentId = id, dockerImage = $"registry.example.com/{name}:{i}" },
            });
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"register: {(int)response.StatusCode} {body}");
            agentId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
            ids.Add(id);
        }

        return (agentId, ids);
    }
}

/// <summary>Two nodes whose health probes run every second, on whichever node holds the probe job.</summary>
public sealed class TwoNodesProbing : TwoNodes
{
    protected override bool Probing => true;
}
