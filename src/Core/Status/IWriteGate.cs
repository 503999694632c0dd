namespace Cutover.Core.Status;

/// <summary>
/// Serializes status writes where the database has a single writer anyway (SQLite): waiting on an in-process
/// async lock is fair and prompt, while waiting on SQLite's busy handler sleeps in coarse steps.
/// </summary>
public interface IWriteGate
{
    ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken);
}
