using Cutover.Core.Deployments;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Traffic;

/// <summary>
/// Every node (not singleton work) stamps the newest RPC it forwarded to each deployment into
/// <see cref="Core.Domain.Deployment.LastRpcAt"/> now and then, so the idle stopper, wherever its lease is, sees calls
/// that went through any node. Only while idle stops are on, and only deployments called since the last round: one
/// short update per busy deployment per round, nothing on the RPC path itself.
/// </summary>
internal sealed partial class RpcStampWorker(
    TrafficFigures traffic,
    DeploymentLauncher deploys,
    IDbContextFactory<CutoverDbContext> dbFactory,
    IWriteGate gate,
    TimeProvider time,
    ILogger<RpcStampWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var after = deploys.PreviewIdleStopAfter;
                await Task.Delay(Period(after), time, stoppingToken);
                if (after is not { } a || a <= TimeSpan.Zero) continue;
                try
                {
                    await StampAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogStampFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>An eighth of the idle time (stamps stay well inside it), between 100 ms and 15 s.</summary>
    internal static TimeSpan Period(TimeSpan? after) =>
        after is { } a && a > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Clamp(a.Ticks / 8, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(15).Ticks))
            : TimeSpan.FromSeconds(15);

    private async Task StampAsync(CancellationToken cancellationToken)
    {
        var due = traffic.TakeUnstamped();
        if (due.Count == 0) return;
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var (id, at) in due) await RpcStamps.StampAsync(db, id, at, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Could not stamp the last RPC times; the next round tries again")]
    private static partial void LogStampFailed(ILogger logger, Exception e);
}
