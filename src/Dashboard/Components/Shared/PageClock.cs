using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// Moves a live page's "now" forward. Relative times ("just now", "5 min ago") are computed from a time the page
/// holds; without a tick they stay what they were at the last load while the page is left open. Each tick also lets
/// the page re-read what is stamped but never published (an agent's "last seen"). Like
/// <see cref="Live.LiveStatusListener"/>, the loop runs the callback on the component's renderer, and
/// <see cref="DisposeAsync"/> cancels it and waits for it to end.
/// </summary>
public sealed class PageClock : IAsyncDisposable
{
    /// <summary>
    /// Relative times change at 10 s granularity first ("just now" until 10 s), and a repeated health report
    /// stamps "last seen" at most every 10 s (<c>Cutover:Health:LastSeenThrottle</c>): a finer tick shows nothing new.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private PageClock()
    {
    }

    /// <summary>The ticking loop; completes after <see cref="DisposeAsync"/>.</summary>
    public Task Completion => _loop;

    /// <summary>Starts ticking.</summary>
    /// <param name="time">The clock (tests pass a fake one).</param>
    /// <param name="dispatch">Runs work on the component's renderer: pass the component's <c>InvokeAsync</c>.</param>
    /// <param name="onTick">Gets the new "now"; call <c>StateHasChanged</c> in it.</param>
    /// <param name="interval"><see cref="DefaultInterval"/> when null.</param>
    /// <param name="logger">Where a failing tick is reported (the clock goes on).</param>
    public static PageClock Start(TimeProvider time, Func<Func<Task>, Task> dispatch, Func<DateTime, Task> onTick,
        TimeSpan? interval = null, ILogger? logger = null)
    {
        var clock = new PageClock();
        var token = clock._stop.Token;
        clock._loop = Task.Run(() => RunAsync(time, dispatch, onTick, interval ?? DefaultInterval, logger ?? NullLogger.Instance, token));
        return clock;
    }

    /// <summary>Stops the clock and waits for a tick in progress to end. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task RunAsync(TimeProvider time, Func<Func<Task>, Task> dispatch, Func<DateTime, Task> onTick,
        TimeSpan interval, ILogger logger, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    // Checked again on the renderer: a dispose may have started while this call was queued.
                    await dispatch(() => token.IsCancellationRequested ? Task.CompletedTask : onTick(time.GetUtcNow().UtcDateTime))
                        .ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return; // the circuit's renderer is gone
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "A page clock tick failed; the next tick runs as usual");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
