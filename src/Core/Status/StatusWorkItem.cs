using Cutover.Core.Results;

namespace Cutover.Core.Status;

/// <summary>
/// One queued <see cref="StatusChokepoint.UpdateStatusAsync{T}"/> call. Non-generic so that calls of different
/// result types share one queue and one batch; the generic subclass keeps the change and its caller's result.
/// </summary>
internal abstract class StatusWorkItem(Guid agentId, string actor, string? reason)
{
    public Guid AgentId { get; } = agentId;

    public string Actor { get; } = actor;

    public string? Reason { get; } = reason;

    /// <summary>True once the caller has its result (e.g. refused before the batch ran).</summary>
    public abstract bool IsDone { get; }

    /// <summary>Runs the change inside the batch's transaction; false when it refused (nothing may commit then).</summary>
    public abstract Task<bool> StageAsync(StatusTransaction transaction);

    /// <summary>Hands the caller the outcome its change returned in the batch that has now committed.</summary>
    public abstract void Committed();

    public abstract void Refuse(Failure failure);

    /// <summary>Fails the caller when the writer itself broke (never the change's own exception: that goes via <see cref="RunAloneAsync"/>).</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Runs the change again on its own, in its own transaction, and hands the caller whatever it gets.</summary>
    public abstract Task RunAloneAsync(StatusChokepoint chokepoint);
}

/// <summary>A queued call with result type <typeparamref name="T"/>.</summary>
internal sealed class StatusWorkItem<T>(
    Guid agentId,
    string actor,
    string? reason,
    Func<StatusTransaction, CancellationToken, Task<Outcome<T>>> change) : StatusWorkItem(agentId, actor, reason)
{
    // Continuations run off the writer's thread, so a caller's follow-up work never delays the next batch.
    private readonly TaskCompletionSource<Outcome<T>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Outcome<T> _staged;

    public Task<Outcome<T>> Task => _done.Task;

    public override bool IsDone => _done.Task.IsCompleted;

    public override async Task<bool> StageAsync(StatusTransaction transaction)
    {
        // Terminal-write semantics: once queued, the change runs to its end whatever the caller's token says.
        _staged = await change(transaction, CancellationToken.None).ConfigureAwait(false);
        return _staged.IsSuccess;
    }

    public override void Committed() => _done.TrySetResult(_staged);

    public override void Refuse(Failure failure) => _done.TrySetResult(failure);

    public override void Fail(Exception exception) => _done.TrySetException(exception);

    public override async Task RunAloneAsync(StatusChokepoint chokepoint)
    {
        try
        {
            _done.TrySetResult(await chokepoint.WriteAloneAsync(AgentId, Actor, Reason, change).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
        }
    }
}
