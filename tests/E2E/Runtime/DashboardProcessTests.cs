using System.Diagnostics;
using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Runtime;

/// <summary>
/// The real app with demo mode on, as a separate process: its agents are real child processes, and they must not
/// outlive it, even when it is killed without any chance to clean up.
/// </summary>
public sealed class DashboardProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DashboardKilled_DemoAgentsExitOnTheirOwn()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string> { ["Cutover:Demo:Enabled"] = "true" });
        await UntilAsync(() => app.Output.Any(l => l.Contains("Demo mode: 3 demo agents are running")), "the demo agents to start");
        var agents = AgentProcesses.StartedIn(app.Output).Where(AgentProcesses.IsRunning).ToList();
        Assert.True(agents.Count >= 5, $"expected the demo's agents to run, saw {agents.Count}:\n{string.Join("\n", app.Output)}");
        var dashboardPid = ParentPidOf(agents[0]);

        // SIGKILL the dashboard alone (not its tree): no shutdown code runs, so only the agents' own watch can help.
        using (var dashboard = Process.GetProcessById(dashboardPid)) dashboard.Kill(entireProcessTree: false);

        await UntilAsync(() => !agents.Any(AgentProcesses.IsRunning), "every agent to exit after the dashboard died");
    }

    private static int ParentPidOf(int agentPid) =>
        int.Parse(File.ReadAllText($"/proc/{agentPid}/environ").Split('\0')
            .Single(kv => kv.StartsWith("CUTOVER_PARENT_PID=", StringComparison.Ordinal))["CUTOVER_PARENT_PID=".Length..]);

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Wait);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (!condition()) await timer.WaitForNextTickAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }
}
