namespace Cutover.Core.Status;

/// <summary>No in-process serialization (PostgreSQL): the agent's sequence token resolves concurrent writers.</summary>
public sealed class OpenWriteGate : IWriteGate
{
    private static readonly IDisposable Nothing = new Empty();

    public ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Nothing);

    private sealed class Empty : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
