using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Work that must run on one node at a time (health probes, the liveness sweep, retention, source polling, guards,
/// idle previews, notification delivery) asks before each round
/// whether this node holds the job. On PostgreSQL the holder is the node whose dedicated connection holds the job's
/// session-level advisory lock: the lock dies with that connection, so when the node dies another node takes the
/// job at its next round. On SQLite there is one node, and it holds every job.
/// </summary>
public sealed partial class SingletonLeases(ILogger<SingletonLeases> logger) : IAsyncDisposable
{
    public const string HealthProbes = "health-probes";
    public const string LivenessSweep = "liveness-sweep";
    public const string Retention = "retention";
    public const string SourcePolling = "source-polling";
    public const string IdlePreviews = "idle-previews";
    public const string Guards = "guards";
    public const string Notifications = "notifications";

    /// <summary>How often a node that does not hold a job asks again (so a job moves within this after its node dies).</summary>
    public static readonly TimeSpan StandbyCheck = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <summary>The PostgreSQL connection string when several nodes may share the database; null on SQLite.</summary>
    public string? ConnectionString { get; internal set; }

    /// <summary>True when this node runs <paramref name="job"/> now (taking it if nobody holds it).</summary>
    public async ValueTask<bool> HoldsAsync(string job, CancellationToken cancellationToken)
    {
        if (ConnectionString is null) return true;
        var lease = _leases.GetOrAdd(job, j => new Lease(Key(j)));
        await lease.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (lease.Connection is { } held)
            {
                try
                {
                    // Held for as long as the session lives; a connection that no longer answers has lost it.
                    await using var ping = new NpgsqlCommand("SELECT 1", held);
                    await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    LogLost(e, job);
                    await held.DisposeAsync().ConfigureAwait(false);
                    lease.Connection = null;
                }
            }

            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString)
            {
                Pooling = false,
                KeepAlive = 5,
                ApplicationName = $"cutover-lease {job}",
            }.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                take.Parameters.AddWithValue("key", lease.Key);
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    lease.Connection = connection;
                    LogTaken(job);
                    return true;
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                LogUnavailable(e, job);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            lease.Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lease in _leases.Values)
        {
            if (lease.Connection is { } c) await c.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A stable 64-bit advisory lock key per job name (the same on every node and every version).</summary>
    internal static long Key(string job) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("cutover:" + job)), 0);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now runs {Job}")]
    private partial void LogTaken(string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on {Job}; another node may take it")]
    private partial void LogLost(Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for the lease on {Job}; this round is skipped")]
    private partial void LogUnavailable(Exception exception, string job);

    private sealed class Lease(long key)
    {
        public long Key { get; } = key;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public NpgsqlConnection? Connection { get; set; }
    }
}
