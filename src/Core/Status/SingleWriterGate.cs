namespace Cutover.Core.Status;

/// <summary>One writer at a time in this process (SQLite).</summary>
public sealed class SingleWriterGate : IWriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new SemaphoreRelease(_semaphore);
    }
}
