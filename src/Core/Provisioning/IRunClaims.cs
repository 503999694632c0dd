namespace Cutover.Core.Provisioning;

/// <summary>
/// Which node is working on a run. One node: this one, and a run in flight at start-up was left by a crash. Several
/// nodes on one database: the node holding the run's claim (on PostgreSQL a session-level advisory lock, which dies
/// with its node's connection), so a node starting up marks Interrupted only the runs nobody is working on.
/// </summary>
public interface IRunClaims
{
    /// <summary>Claims the run for this node's work on it, waiting while another node works on it; dispose to release.</summary>
    ValueTask<IAsyncDisposable> ClaimAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>True when no live node works on the run.</summary>
    ValueTask<bool> IsUnclaimedAsync(Guid runId, CancellationToken cancellationToken);
}

/// <summary>One node: its own work on a run is all the work there is.</summary>
public sealed class SingleNodeRunClaims : IRunClaims
{
    public static readonly SingleNodeRunClaims Instance = new();

    public ValueTask<IAsyncDisposable> ClaimAsync(Guid runId, CancellationToken cancellationToken) => ValueTask.FromResult<IAsyncDisposable>(Released.Instance);

    public ValueTask<bool> IsUnclaimedAsync(Guid runId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    private sealed class Released : IAsyncDisposable
    {
        public static readonly Released Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
