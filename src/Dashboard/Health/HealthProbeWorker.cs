using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

/// <summary>
/// Every <see cref="HealthOptions.ProbeInterval"/>, probes each Ready, not deleted deployment (and each agent routed
/// through a legacy URL) at most <see cref="HealthOptions.MaxConcurrentProbes"/> at a time, and hands the results to
/// the <see cref="HealthMonitor"/>, which decides what they mean.
/// </summary>
internal sealed class HealthProbeWorker(
    IDbContextFactory<CutoverDbContext> dbFactory,
    HealthProber prober,
    HealthMonitor monitor,
    IOptions<HealthOptions> options,
    TimeProvider time,
    CutoverMetrics metrics,
    ScaleOut.SingletonLeases leases,
    ILogger<HealthProbeWorker> logger) : BackgroundService
{
    private const int MaxTargets = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.ProbesEnabled) return;
        using var timer = new PeriodicTimer(o.ProbeInterval, time);
        // The first round runs at once: after a restart every health is Unknown until observed. With several nodes,
        // only the one holding the job probes; the others ask again every StandbyCheck.
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await leases.HoldsAsync(ScaleOut.SingletonLeases.HealthProbes, stoppingToken))
            {
                await Task.Delay(ScaleOut.SingletonLeases.StandbyCheck, time, stoppingToken);
                continue;
            }

            try
            {
                await ProbeAllAsync(o.MaxConcurrentProbes, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Health probe round failed; the next round runs at the next interval");
            }

            await timer.WaitForNextTickAsync(stoppingToken);
        }
    }

    private async Task ProbeAllAsync(int parallelism, CancellationToken stoppingToken)
    {
        List<(HealthTarget Target, string Url)> targets;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            targets = await TargetsAsync(db, MaxTargets, stoppingToken);
        }

        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stoppingToken },
            async (t, ct) =>
            {
                var result = await prober.ProbeAsync(t.Url, ct);
                metrics.ProbeFinished(result.Success);
                await monitor.ProbeResultAsync(t.Target, result.Success, result.Detail, ct);
            });
    }

    /// <summary>
    /// What one round probes: Ready, not deleted deployments and agents routed by a legacy URL, least recently observed
    /// first. Past <paramref name="max"/> a round leaves the most recently observed for the next one, so every target
    /// is probed in turn instead of the same ones every round (an unordered TAKE picks whatever the database finds first).
    /// </summary>
    internal static async Task<List<(HealthTarget Target, string Url)>> TargetsAsync(CutoverDbContext db, int max, CancellationToken cancellationToken)
    {
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.Status == DeploymentStatus.Ready && d.ExpiresAt == null && d.AcpUrl != null)
            .OrderBy(d => d.LastHealthAt).ThenBy(d => d.Id)
            .Select(d => new { d.AgentId, d.Id, d.AcpUrl })
            .Take(max)
            .ToListAsync(cancellationToken);
        var legacy = await db.Agents.AsNoTracking()
            .Where(a => a.ProductionDeploymentId == null && a.AcpUrl != null)
            .OrderBy(a => a.LastSeenAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.AcpUrl })
            .Take(max)
            .ToListAsync(cancellationToken);
        return deployments.Select(d => (HealthTarget.ForDeployment(d.AgentId, d.Id), d.AcpUrl!))
            .Concat(legacy.Select(a => (HealthTarget.ForAgent(a.Id), a.AcpUrl!)))
            .ToList();
    }
}
