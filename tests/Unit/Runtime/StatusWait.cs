using Cutover.Core.Status;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>Waits for a condition on an agent's state, re-checking on every status change it publishes.</summary>
internal static class StatusWait
{
    public static async Task UntilAsync(StatusBus bus, Guid agentId, Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var subscription = bus.Subscribe(agentId);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (!await condition())
            {
                await subscription.Changes.ReadAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
        }
    }

    /// <summary>For things that publish nothing (a process going away): re-check on a short interval until the deadline.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (!condition()) await timer.WaitForNextTickAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
        }
    }
}
