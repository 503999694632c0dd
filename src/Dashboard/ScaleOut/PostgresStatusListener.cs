using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Listens for the other nodes' commits on a dedicated connection (not a pooled one: LISTEN belongs to its session)
/// and feeds them to this node's bus, so pages, hub clients and route caches here see every change. Its own
/// messages and changes already seen (by the agent's sequence) are dropped. A lost connection is reopened with
/// backoff; whatever was committed while nobody listened is only in the database, so after every LISTEN the bus
/// reloads its states from it (subscribers see the sequence gap on the agent's next change and reload too).
/// </summary>
internal sealed partial class PostgresStatusListener(
    IConfiguration configuration,
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    NodeIdentity node,
    SecurityRelay security,
    TimeProvider time,
    ILogger<PostgresStatusListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<Guid, long> _seen = [];
    private bool _gap;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (start-up waits on it, see <see cref="StartAsync"/>).</summary>
    public Task Listening => _listening.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        // Traffic starts after hosted services start: a node takes requests only once it hears the others.
        await Listening.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Cutover"))
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = $"cutover-relay {node.Name}",
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Receive(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresStatusRelay.Channel}; LISTEN {PostgresStatusRelay.RunChannel}; LISTEN {SecurityRelay.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                await ReloadAsync(stoppingToken).ConfigureAwait(false);
                _listening.TrySetResult();
                retry = FirstRetry;
                while (true)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                    if (!_gap) continue;
                    // A change arrived whose agent's sequence jumped: something was committed that this node did
                    // not hear. The database has it.
                    _gap = false;
                    await ReloadAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                LogLost(e, retry.TotalMilliseconds);
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private void Receive(string channel, string payload)
    {
        if (channel == SecurityRelay.Channel)
        {
            security.Receive(payload);
            return;
        }

        if (channel == PostgresStatusRelay.RunChannel)
        {
            // Runs have no sequence gaps to mend here: their pages reload the run from the database on open.
            if (RunRelayMessage.Parse(payload) is { } run && run.Node != node.Id) bus.PublishRunCommittedElsewhere(run.Changes);
            return;
        }

        if (RelayMessage.Parse(payload) is not { } message)
        {
            LogUnreadable(payload.Length);
            return;
        }

        if (message.Node == node.Id) return;
        var agentId = message.State.AgentId;
        var last = _seen.GetValueOrDefault(agentId);
        var fresh = message.Changes.Where(c => c.Sequence > last).ToList();
        if (fresh.Count == 0) return;
        if (bus.Current(agentId) is { } known && fresh[0].Sequence > known.Sequence + 1)
        {
            LogGap(agentId, known.Sequence, fresh[0].Sequence);
            _gap = true;
        }

        _seen[agentId] = fresh[^1].Sequence;
        bus.PublishCommittedElsewhere(message.State, fresh);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await StatusBusSeeder.LoadAsync(dbFactory, bus, cancellationToken).ConfigureAwait(false);
        _seen.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears other nodes' changes; retrying in {RetryMs} ms")]
    private partial void LogLost(Exception exception, double retryMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} jumped from sequence {Known} to {Next} on the relay; reloading from the database")]
    private partial void LogGap(Guid agentId, long known, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable relay message ({Length} characters)")]
    private partial void LogUnreadable(int length);
}
