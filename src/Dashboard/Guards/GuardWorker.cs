using Cutover.Core.Guards;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.ScaleOut;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Guards;

/// <summary>
/// Every round (<see cref="GuardOptions.Interval"/>, or sooner when a guarded deployment's health or status changes):
/// each node reports its traffic for the watching guards; the node holding the guards job then judges each one
/// (<see cref="GuardDecision"/>) and applies the verdict through <see cref="GuardService"/>. A guard's state is in the
/// database, so a restart or a move to another node carries on where it was.
/// </summary>
internal sealed partial class GuardWorker(
    GuardService guards,
    GuardTraffic traffic,
    StatusBus bus,
    SingletonLeases leases,
    IDbContextFactory<CutoverDbContext> dbFactory,
    IOptions<GuardOptions> options,
    TimeProvider time,
    ILogger<GuardWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _askAgainAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(e);
            }

            try
            {
                await _wake.WaitAsync(options.Value.Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await listening.ConfigureAwait(false);
    }

    /// <summary>One round: report, then judge (on the holder).</summary>
    internal async Task RoundAsync(CancellationToken cancellationToken)
    {
        List<Guard> watching;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            watching = await db.Guards.AsNoTracking().Where(g => g.Status == GuardStatus.Watching).ToListAsync(cancellationToken);
        }

        await traffic.ReportAsync(watching, cancellationToken);
        if (watching.Count == 0 || !await HoldsGuardsAsync(cancellationToken)) return;

        var now = time.GetUtcNow().UtcDateTime;
        // The guards this round read (the verdict re-checks each one inside its transaction).
        foreach (var view in await guards.WithEvidenceAsync(watching, cancellationToken))
        {
            var decision = GuardDecision.Decide(view.Guard.Settings, view.Evidence, now, view.Guard.EndsAt);
            if (decision.Kind == GuardDecisionKind.Keep) continue;
            var outcome = await guards.ApplyAsync(view, decision, cancellationToken);
            if (outcome.IsSuccess) LogVerdict(view.Guard.AgentId, view.Guard.DeploymentId, outcome.Value, decision.Why ?? "window ended clean");
            else LogNotApplied(view.Guard.AgentId, outcome.Failure!.Detail);
        }
    }

    /// <summary>
    /// Whether this node judges. A node that does not hold the job asks again only after
    /// <see cref="SingletonLeases.StandbyCheck"/> (asking opens a connection), as the other singleton jobs do.
    /// </summary>
    private async ValueTask<bool> HoldsGuardsAsync(CancellationToken cancellationToken)
    {
        if (time.GetTimestamp() < Interlocked.Read(ref _askAgainAt)) return false;
        if (await leases.HoldsAsync(SingletonLeases.Guards, cancellationToken)) return true;
        Interlocked.Exchange(ref _askAgainAt, time.GetTimestamp() + (long)(SingletonLeases.StandbyCheck.TotalSeconds * time.TimestampFrequency));
        return false;
    }

    /// <summary>
    /// Wakes a round early when a guard starts (so this node's count begins with its routes switching) and when a
    /// deployment's health or status changes (so a guarded one turning Unhealthy is judged at once, not at the next tick).
    /// </summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var change in subscription.Changes.ReadAllAsync(stoppingToken))
            {
                if (change.Field == StatusField.Guard && change.To == nameof(GuardStatus.Watching) && change.DeploymentId is { } d)
                    traffic.Began(d, change.At);
                else if (change.Field is not (StatusField.DeploymentHealth or StatusField.DeploymentStatus))
                    continue;
                if (_wake.CurrentCount == 0)
                {
                    try
                    {
                        _wake.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Another change woke it first.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guard round failed; the next round retries")]
    private partial void LogRoundFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Guard of agent {AgentId} on deployment {DeploymentId}: {Verdict} ({Why})")]
    private partial void LogVerdict(Guid agentId, Guid deploymentId, GuardStatus verdict, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guard verdict for agent {AgentId} not applied: {Detail}")]
    private partial void LogNotApplied(Guid agentId, string detail);
}
