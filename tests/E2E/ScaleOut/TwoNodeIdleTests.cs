using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// Idle previews on two nodes: a preview called only through the node that does not hold the idle-previews lease
/// keeps running (that node stamps its calls, the holder reads them), and once nobody calls it the holder stops it
/// and the node running its process ends that process.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class TwoNodeIdleTests(TwoNodesIdle nodes) : IClassFixture<TwoNodesIdle>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PreviewCalledThroughTheOtherNode_KeptRunning_ThenStoppedWhenIdleAndItsProcessEnds()
    {
        var (agentId, _) = await nodes.RegisterAsync("idle-" + Guid.NewGuid().ToString("N")[..6], 1);
        using var a = nodes.A.CreateClient();
        using var created = await a.PostAsJsonAsync($"api/agents/{agentId}/deployments", new { dockerImage = "cutover/sample-agent:1.0" });
        created.EnsureSuccessStatusCode();
        var preview = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await UntilAsync(async () => await StatusAsync(a, agentId, preview) == "Ready", "the preview (run by node A) to be Ready");
        await UntilAsync(() => Task.FromResult(Holder() is not null), "a node to take the idle-previews lease");
        var caller = Holder() == nodes.A ? nodes.B : nodes.A;
        using var client = caller.CreateClient();

        // Three times the idle time, calls only through the node without the lease.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(12);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(400));
        while (DateTime.UtcNow < until)
        {
            using var rpc = await client.PostAsync($"api/agents/{agentId}/deployments/{preview}/rpc",
                new StringContent("""{"jsonrpc":"2.0","id":1,"method":"agent/info"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);
            Assert.Equal("Ready", await StatusAsync(a, agentId, preview));
            await timer.WaitForNextTickAsync();
        }

        await UntilAsync(async () => await StatusAsync(a, agentId, preview) == "Stopped", "the idle preview to be stopped");
        await UntilAsync(async () => (await a.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{preview}/output"))
            .GetProperty("status").GetString() == "Exited", "node A to end the stopped preview's process");
    }

    private AppProcess? Holder() =>
        new[] { nodes.A, nodes.B }.FirstOrDefault(n => n.Output.Any(l => l.Contains("This node now runs idle-previews", StringComparison.Ordinal)));

    private static async Task<string?> StatusAsync(HttpClient client, Guid agentId, Guid deploymentId) =>
        (await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments/{deploymentId}")).GetProperty("status").GetString();

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Wait);
        try
        {
            while (!await condition()) await Task.Delay(100, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }
}

/// <summary>Two nodes with a 4 s idle time for previews.</summary>
public sealed class TwoNodesIdle : TwoNodes
{
    protected override IReadOnlyDictionary<string, string> MoreSettings => new Dictionary<string, string>
    {
        ["Cutover:Runtime:PreviewIdleStopAfter"] = "00:00:04",
    };
}
