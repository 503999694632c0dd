using Cutover.Core.Provisioning;
using Npgsql;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Runs claimed with PostgreSQL session-level advisory locks, one dedicated connection per claim held for as long as
/// this node works on the run: when the node dies, its connection and so its claims go with it.
/// </summary>
internal sealed class PostgresRunClaims(string connectionString) : IRunClaims
{
    public async ValueTask<IAsyncDisposable> ClaimAsync(Guid runId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", Key(runId));
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<bool> IsUnclaimedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var probe = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        probe.Parameters.AddWithValue("key", Key(runId));
        // Taken (and let go with this connection) only when nobody holds it.
        return await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    internal static long Key(Guid runId) => SingletonLeases.Key("run:" + runId.ToString("N"));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = "cutover-run-claim",
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
