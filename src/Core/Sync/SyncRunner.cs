using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Sync;

/// <summary>
/// The one shape of a sync (a deploy, a reconcile): mark the agent Syncing, run the operation with a timeout, then
/// write Synced or OutOfSync with the error. The terminal write never uses the caller's token, and the operation is
/// abandoned (not awaited further) at the timeout even if it ignores its token, so a sync always ends in a terminal
/// state, never "Syncing" forever. A sync that could not be delivered says nothing about the running containers:
/// it changes sync status only, never health.
/// </summary>
public sealed class SyncRunner(StatusChokepoint chokepoint, TimeProvider time, ILogger<SyncRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="operation"/> as a sync of agent <paramref name="agentId"/>. The operation returns null on
    /// success or the failure that kept it from delivering; an exception it throws counts as such a failure.
    /// Fails (without running anything) when the agent does not exist or a sync of it is already running.
    /// </summary>
    public async Task<Outcome<SyncRunResult>> RunAsync(
        Guid agentId,
        string actor,
        string? reason,
        TimeSpan timeout,
        Func<CancellationToken, Task<Failure?>> operation,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var started = await chokepoint.UpdateStatusAsync<bool>(agentId, actor, reason, (t, _) =>
        {
            if (t.Agent.Sync == SyncStatus.Syncing)
                return Task.FromResult<Outcome<bool>>(Failure.Conflict("A sync of this agent is already running."));
            return Task.FromResult<Outcome<bool>>(t.SetSync(SyncStatus.Syncing) is { } failure ? failure : true);
        }, cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccess) return started.Failure!;

        var error = await RunOperationAsync(agentId, timeout, operation, cancellationToken).ConfigureAwait(false);
        var final = error is null ? SyncStatus.Synced : SyncStatus.OutOfSync;

        // Terminal: not bound to the caller's token, which may be the very reason we are here.
        var ended = await chokepoint.UpdateStatusAsync<SyncStatus>(agentId, actor, reason, (t, _) =>
                Task.FromResult<Outcome<SyncStatus>>(t.SetSync(final, error) is { } failure ? failure : t.Agent.Sync),
            CancellationToken.None).ConfigureAwait(false);
        if (!ended.IsSuccess) return ended.Failure!;
        return new SyncRunResult(final, error);
    }

    private async Task<string?> RunOperationAsync(Guid agentId, TimeSpan timeout, Func<CancellationToken, Task<Failure?>> operation,
        CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            // WaitAsync stops waiting at the deadline even for an operation that ignores its token.
            var failure = await operation(linked.Token).WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return failure?.Detail;
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && timeoutSource.IsCancellationRequested))
        {
            return $"Timed out after {timeout.TotalSeconds:0.###} s.";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "Cancelled before it finished.";
        }
        catch (Exception e)
        {
            // Any failure to deliver (unreachable runtime, dropped connection, a bug) must still end the sync.
            logger.LogWarning(e, "Sync of agent {AgentId} failed", agentId);
            return e.Message;
        }
    }
}
