using System.Diagnostics;
using Xunit.Abstractions;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// Singleton work moves when its node dies: node A (started first) holds the health-probe job's advisory lock; it is
/// SIGKILLed, its session ends with its connection, and node B takes the job and probes within 15 s.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class TwoNodeFailoverTests(TwoNodesProbing nodes, ITestOutputHelper output) : IClassFixture<TwoNodesProbing>
{
    [Fact]
    public async Task NodeHoldingTheProbeJobKilled_TheOtherNodeProbesWithin15Seconds()
    {
        await nodes.RegisterAsync("failover-" + Guid.NewGuid().ToString("N")[..6], 1);
        // Probes run every second on whichever node holds the job; only A's log says it took it.
        await nodes.Agent.WaitForProbesAsync(2, TimeSpan.FromSeconds(20));
        Assert.Contains(nodes.A.Output, l => l.Contains("This node now runs health-probes", StringComparison.Ordinal));
        Assert.DoesNotContain(nodes.B.Output, l => l.Contains("This node now runs health-probes", StringComparison.Ordinal));

        await nodes.A.KillAsync();
        var killed = Stopwatch.StartNew();
        var before = nodes.Agent.Probes;
        await nodes.Agent.WaitForProbesAsync(before + 1, TimeSpan.FromSeconds(15));

        output.WriteLine($"SCALE-OUT probes resumed on B {killed.Elapsed.TotalSeconds:F1} s after node A was killed");
        Assert.Contains(nodes.B.Output, l => l.Contains("This node now runs health-probes", StringComparison.Ordinal));
    }
}
