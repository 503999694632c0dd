using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Sync;

/// <summary>
/// The one shape of an agent's sync (a deploy today; the sources' sync entry builds on it). A sync round marks the
/// agent Syncing when its first operation begins and, when the last operation in flight ends, Synced or OutOfSync
/// with the failure of any of them; an operation that begins while a round is open joins it, so the agent is marked
/// in progress once per round. Every write goes through the chokepoint; the write that ends an operation carries the
/// operation's own result (e.g. a deployment's Failed) in the same transaction. Terminal writes never use the
/// caller's token. A sync that could not be delivered changes sync status only, never health.
/// </summary>
public sealed class SyncRunner(StatusChokepoint chokepoint, TimeProvider time, ILogger<SyncRunner> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<Guid, Round> _rounds = [];

    /// <summary>
    /// Runs <paramref name="operation"/> as one operation of agent <paramref name="agentId"/>'s sync, with a timeout
    /// after which it is abandoned even if it ignores its token. The operation returns null on success or the failure
    /// that kept it from delivering; an exception it throws counts as such a failure.
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
        var begun = await BeginAsync(agentId, actor, reason, cancellationToken).ConfigureAwait(false);
        if (!begun.IsSuccess) return begun.Failure!;

        var error = await RunOperationAsync(agentId, timeout, operation, cancellationToken).ConfigureAwait(false);
        var ended = await EndAsync(agentId, actor, reason, error, null, endsRound: true).ConfigureAwait(false);
        if (!ended.IsSuccess) return ended.Failure!;
        return new SyncRunResult(error is null ? SyncStatus.Synced : SyncStatus.OutOfSync, error);
    }

    /// <summary>Begins one operation: the first of a round marks the agent Syncing.</summary>
    public async Task<Outcome<bool>> BeginAsync(Guid agentId, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var round = _rounds.TryGetValue(agentId, out var r) ? r : _rounds[agentId] = new Round();
            if (round.InFlight++ > 0) return true;
            round.Failure = null;
            var marked = await chokepoint.UpdateStatusAsync<bool>(agentId, actor, reason,
                (t, _) => Task.FromResult<Outcome<bool>>(t.SetSync(SyncStatus.Syncing) is { } f ? f : true),
                cancellationToken).ConfigureAwait(false);
            if (!marked.IsSuccess) _rounds.Remove(agentId);
            return marked;
        }
        catch
        {
            _rounds.Remove(agentId);
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Ends one operation with its <paramref name="error"/> (null: delivered) and writes <paramref name="result"/>
    /// (the operation's own status change, may be null) in the same transaction as the round's end, if this was the
    /// last operation in flight. <paramref name="endsRound"/> is false for a result that did not begin with
    /// <see cref="BeginAsync"/> (a Ready deployment dying later): it still marks the agent OutOfSync.
    /// </summary>
    public async Task<Outcome<bool>> EndAsync(Guid agentId, string actor, string? reason, string? error,
        Func<StatusTransaction, CancellationToken, Task>? result, bool endsRound)
    {
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var round = _rounds.TryGetValue(agentId, out var r) ? r : _rounds[agentId] = new Round();
            if (endsRound && round.InFlight > 0) round.InFlight--;
            if (error is not null) round.Failure = error;
            SyncStatus? sync = round.InFlight > 0 ? null : round.Failure is null ? SyncStatus.Synced : SyncStatus.OutOfSync;
            var failure = round.Failure;
            if (round.InFlight == 0) _rounds.Remove(agentId);

            // Terminal: not bound to the caller's token, which may be the very reason we are here.
            return await chokepoint.UpdateStatusAsync<bool>(agentId, actor, error ?? reason, async (t, ct) =>
            {
                if (result is not null) await result(t, ct).ConfigureAwait(false);
                // Every sync status may become Synced or OutOfSync, so nothing here can keep the round from ending.
                if (sync is { } s) t.SetSync(s, s == SyncStatus.OutOfSync ? failure : null);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
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

    private sealed class Round
    {
        public int InFlight { get; set; }

        public string? Failure { get; set; }
    }
}
