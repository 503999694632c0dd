using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics;

namespace Cutover.Benchmarks.Chokepoint;

/// <summary>
/// The restart sweep at scale: <c>count</c> agents last seen Healthy, reset to Unknown by the app's own
/// <see cref="RestartRecovery"/> (one chokepoint call per agent), while an operator promotes back and forth on
/// another agent; each promote's latency is measured from its call to its return.
/// </summary>
internal static class RestartSweep
{
    public static async Task RunAsync(IDbContextFactory<CutoverDbContext> factory, StatusChokepoint chokepoint, int count)
    {
        var seeded = Stopwatch.StartNew();
        await SeedHealthyAgentsAsync(factory, count);
        var deployments = new DeploymentService(chokepoint, factory, Options.Create(new DeploymentOptions()), TimeProvider.System);
        var (agentId, first, second) = await TwoReadyDeploymentsAsync(deployments);
        Console.WriteLine($"Restart sweep: seeded {count} Healthy agents in {seeded.Elapsed.TotalSeconds:F1} s");

        var recovery = new RestartRecovery(factory, chokepoint, NullLogger<RestartRecovery>.Instance);
        var clock = Stopwatch.StartNew();
        var sweep = Task.Run(() => recovery.RecoverAsync(CancellationToken.None));
        var promotes = new List<double>();
        var target = second;
        while (!sweep.IsCompleted)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await deployments.PromoteAsync(agentId, target, "bench", "bench", CancellationToken.None);
            promotes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
            target = target == first ? second : first;
            // An operator clicks now and then, not in a tight loop: leave the sweep most of the writer.
            await Task.Delay(20);
        }

        var reset = await sweep;
        var elapsed = clock.Elapsed;
        var sorted = promotes.ToArray();
        Array.Sort(sorted);
        var figures = new Figures("promote during the sweep", sorted.Length, elapsed, sorted);
        Console.WriteLine($"sweep: {reset} agents reset to Unknown in {elapsed.TotalSeconds:F2} s ({reset / elapsed.TotalSeconds:F0}/s)");
        Console.WriteLine(figures);
        Console.WriteLine($"targets: sweep of {count} <= 10 s: {(elapsed.TotalSeconds <= 10 ? "met" : "MISSED")} ({elapsed.TotalSeconds:F2} s); " +
                          $"promote p99 <= 100 ms: {(figures.Percentile(0.99) <= 100 ? "met" : "MISSED")} ({figures.Percentile(0.99):F1} ms)");
    }

    private static async Task SeedHealthyAgentsAsync(IDbContextFactory<CutoverDbContext> factory, int count)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var agent = new Agent(Guid.CreateVersion7(), $"sweep-{i:D5}", null, now);
            agent.WriteHealth(HealthStatus.Healthy);
            db.Agents.Add(agent);
        }

        await db.SaveChangesAsync();
    }

    private static async Task<(Guid Agent, Guid First, Guid Second)> TwoReadyDeploymentsAsync(DeploymentService deployments)
    {
        var (first, second) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        Guid agentId = default;
        foreach (var (id, image) in new[] { (first, "bench/promoted:1"), (second, "bench/promoted:2") })
        {
            var outcome = await deployments.RegisterAsync(new RegisterCommand("promoted", null, $"http://127.0.0.1:9/{image}", id, image, null),
                "bench", CancellationToken.None);
            if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
            agentId = outcome.Value!.Agent.Id;
        }

        return (agentId, first, second);
    }
}
