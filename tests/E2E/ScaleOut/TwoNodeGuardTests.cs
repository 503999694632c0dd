using System.Net;
using Cutover.Tests.E2E.Guards;
using Xunit.Abstractions;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// A guard on two nodes: its evidence is every node's traffic (each node alone sees too few calls to judge, their sum
/// is enough), and exactly one node, the holder of the guards job, applies the verdict.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class TwoNodeGuardTests(TwoNodesProbing nodes, ITestOutputHelper output) : IClassFixture<TwoNodesProbing>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TrafficSplitAcrossNodes_TheGuardSumsIt_AndOneNodeReverts()
    {
        await using var good = LoopbackAgent.Start();
        await using var bad = LoopbackAgent.Start();
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();
        var name = "split-" + Guid.NewGuid().ToString("N")[..6];
        var (agentId, v1) = await GuardApi.RegisterAsync(a, name, good.Url, "registry.example/split:1");
        var (_, v2) = await GuardApi.RegisterAsync(a, name, bad.Url, "registry.example/split:2");
        await GuardApi.HealthyAsync(a, agentId, v1, Wait);
        await GuardApi.HealthyAsync(a, agentId, v2, Wait);
        await GuardApi.PromoteAsync(a, agentId, v2, new { window = "00:05:00", maxErrorRate = 0.2, minRequests = 20 });
        // B routes to the new production once the promote reached it (the relay); from then on its calls are counted.
        await GuardApi.UntilAsync(async () => await GuardApi.RpcAsync(b, agentId) == HttpStatusCode.OK && await GuardApi.ProductionAsync(b, agentId) == v2,
            ok => ok, Wait, "node B to route to the new production");

        bad.Failing = true;
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, await GuardApi.RpcAsync(a, agentId));
            Assert.Equal(HttpStatusCode.InternalServerError, await GuardApi.RpcAsync(b, agentId));
        }

        // 12 failing calls per node: under minRequests (20) on either node alone, over it together.
        var ended = await GuardApi.UntilAsync(() => GuardApi.GuardAsync(b, agentId), g => g!.Value.GetProperty("status").GetString() != "Watching",
            Wait, "the guard to judge the two nodes' traffic");
        var evidence = ended!.Value.GetProperty("evidence");
        output.WriteLine($"guard: {ended.Value.GetProperty("status").GetString()}, {evidence}");
        Assert.Equal("Reverted", ended.Value.GetProperty("status").GetString());
        Assert.Equal(24, evidence.GetProperty("errors").GetInt64());
        // Plus the good calls B made while waiting for the promote to reach it.
        Assert.True(evidence.GetProperty("requests").GetInt64() >= 24);
        Assert.Equal(v1, await GuardApi.ProductionAsync(a, agentId));
        Assert.Equal(v1, await GuardApi.ProductionAsync(b, agentId));

        var verdicts = nodes.A.Output.Concat(nodes.B.Output).Count(l => l.Contains($"Guard of agent {agentId}", StringComparison.Ordinal));
        Assert.Equal(1, verdicts);
    }
}
