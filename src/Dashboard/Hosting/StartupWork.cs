namespace Cutover.Dashboard.Hosting;

/// <summary>
/// Start-up work that keeps printing after the server listens (demo mode starting its agents). The first-admin
/// setup link is printed again once it is done, so that the link is not lost above that output.
/// </summary>
public sealed class StartupWork
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    public bool IsRunning => Volatile.Read(ref _running) > 0;

    /// <summary>Completes when the last piece of work that began has ended.</summary>
    public Task Done => _done.Task;

    public void Begin() => Interlocked.Increment(ref _running);

    public void End()
    {
        if (Interlocked.Decrement(ref _running) == 0) _done.TrySetResult();
    }
}
