namespace Cutover.Core.Status;

/// <summary>Releases a held <see cref="SemaphoreSlim"/> once, however often it is disposed.</summary>
internal sealed class SemaphoreRelease(SemaphoreSlim semaphore) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
    }
}
