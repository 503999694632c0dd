using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Runtime;
using Cutover.Dashboard.ScaleOut;
using Cutover.Dashboard.Traffic;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Stops previews nobody calls (<see cref="RuntimeOptions.PreviewIdleStopAfter"/>, the rule in <see cref="IdleStop"/>)
/// through the one stop path, so the process ends and the timeline says why. Singleton work: on several nodes the
/// lease holder decides, from its own figures and the last RPC every node stamps (<see cref="Traffic.RpcStampWorker"/>),
/// so a call through another node counts once that node has stamped it (within an eighth of the idle time).
/// </summary>
internal sealed partial class IdlePreviewStopper(
    DeploymentLauncher deploys,
    IDbContextFactory<CutoverDbContext> dbFactory,
    TrafficFigures traffic,
    IOptionsMonitor<RuntimeOptions> options,
    SingletonLeases leases,
    TimeProvider time,
    ILogger<IdlePreviewStopper> logger) : BackgroundService
{
    public const string Actor = "system:idle";

    private static readonly TimeSpan MaxPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var after = options.CurrentValue.PreviewIdleStopAfter;
                await Task.Delay(Period(after), time, stoppingToken);
                if (after is not { } limit || limit <= TimeSpan.Zero) continue;
                if (!await leases.HoldsAsync(SingletonLeases.IdlePreviews, stoppingToken)) continue;
                try
                {
                    var stopped = await SweepAsync(limit, stoppingToken);
                    if (stopped > 0) LogStopped(logger, stopped, limit);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A quarter of the idle time (so a stop comes at most that late), between 250 ms and 30 s.</summary>
    private static TimeSpan Period(TimeSpan? after) =>
        after is { } a && a > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Clamp(a.Ticks / 4, MinPeriod.Ticks, MaxPeriod.Ticks)) : MaxPeriod;

    private async Task<int> SweepAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        List<Candidate> running;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            running = await db.Deployments.AsNoTracking()
                .Where(d => d.Status == DeploymentStatus.Ready && !d.IsProduction && d.ExpiresAt == null)
                // The last good deployment a watching guard would revert to stays up, however idle: it is the way back.
                .Where(d => !db.Guards.Any(g => g.Status == Core.Guards.GuardStatus.Watching && g.PreviousDeploymentId == d.Id))
                .Select(d => new Candidate(d.Id, d.AgentId, d.DockerImage, d.StatusChangedAt ?? d.CreatedAt, d.LastRpcAt))
                .Take(10_000)
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var stopped = 0;
        foreach (var d in running.Where(d => deploys.Runs(d.Image)))
        {
            var last = Latest(traffic.LastRequestAt(d.Id), d.LastRpcAt);
            if (IdleStop.DueAt(false, DeploymentStatus.Ready, false, d.ReadyAt, last, traffic.CountingSince, after) is not { } due
                || due > now) continue;
            var since = last is { } l ? $"last RPC at {l:HH:mm:ss} UTC" : "no RPC since it became Ready";
            // The stop re-checks everything in its transaction (promoted or stopped meanwhile: refused or a no-op).
            var outcome = await deploys.StopAsync(d.AgentId, d.Id, IdleStop.Why(after),
                $"Stopped while idle: no RPC for {IdleStop.Describe(after)} ({since})", Actor, cancellationToken);
            if (outcome.IsSuccess) stopped++;
        }

        return stopped;
    }

    /// <summary>The newer of this node's last call and the last one any node stamped.</summary>
    internal static DateTime? Latest(DateTime? local, DateTime? stamped) =>
        local is { } l && (stamped is null || l > stamped) ? l : stamped;

    private sealed record Candidate(Guid Id, Guid AgentId, DockerImage Image, DateTime ReadyAt, DateTime? LastRpcAt);

    [LoggerMessage(LogLevel.Information, "Stopped {Count} idle previews (no RPC for {After})")]
    private static partial void LogStopped(ILogger logger, int count, TimeSpan after);

    [LoggerMessage(LogLevel.Error, "The idle preview sweep failed; it runs again at the next round")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
