namespace Cutover.Cli.Api;

/// <summary>
/// Follows server state that is not published on the status hub (source syncs, provisioning runs): reads it, hands
/// each read to <c>onRead</c>, and reads again after <see cref="Interval"/> until <c>settled</c> says so. The caller
/// bounds the whole wait with its token (<c>--timeout</c>).
/// </summary>
public static class ServerPoll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> settled, Func<T, Task> onRead,
        CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (true)
        {
            var state = await read(cancellationToken);
            await onRead(state);
            if (settled(state)) return state;
            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }
}
