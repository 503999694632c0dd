using System.Collections.Immutable;
using System.Threading.Channels;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Provisioning;

namespace Cutover.Core.Status;

/// <summary>
/// In-process publication of committed status changes. Only <see cref="StatusChokepoint"/> publishes. A subscriber
/// gets the current snapshot and its change stream taken under one lock, so no change falls between the two
/// (the pattern of Aspire's ResourceNotificationService). The states are an immutable map, so a snapshot is the map
/// itself, shared by every subscriber (an overview tab at 10,000 agents holds no copy of them), and the counts per
/// health and sync state are kept as states change, so a page's summary is read from here, not counted in SQL per
/// change.
/// </summary>
public sealed class StatusBus
{
    private const int SubscriberCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly int[] _health = new int[Enum.GetValues<HealthStatus>().Length];
    private readonly int[] _sync = new int[Enum.GetValues<SyncStatus>().Length];
    private ImmutableDictionary<Guid, AgentLiveState> _states = ImmutableDictionary<Guid, AgentLiveState>.Empty;
    private readonly List<Channel<RunChange>> _runSubscribers = [];
    private readonly HashSet<Guid> _deleted = [];

    /// <summary>Loads states read from the database at start-up; later states win by sequence.</summary>
    public void Seed(IEnumerable<AgentLiveState> states)
    {
        lock (_lock)
        {
            var builder = _states.ToBuilder();
            foreach (var s in states)
            {
                if (builder.TryGetValue(s.AgentId, out var known) && known.Sequence >= s.Sequence) continue;
                Count(known, s);
                builder[s.AgentId] = s;
            }

            _states = builder.ToImmutable();
        }
    }

    public AgentLiveState? Current(Guid agentId) => Volatile.Read(ref _states).GetValueOrDefault(agentId);

    /// <summary>Agents per health and sync state, as the published states say.</summary>
    public StatusCounts Counts()
    {
        lock (_lock)
        {
            return new StatusCounts(_states.Count, _health[(int)HealthStatus.Healthy], _health[(int)HealthStatus.Unhealthy],
                _health[(int)HealthStatus.Unknown], _sync[(int)SyncStatus.OutOfSync], _sync[(int)SyncStatus.Syncing]);
        }
    }

    /// <summary>
    /// Subscribes to one agent's changes (or every agent's when <paramref name="agentId"/> is null). Dispose the
    /// subscription to stop. A slow reader loses the oldest changes rather than growing memory without bound; the
    /// sequence gap tells it to reload.
    /// </summary>
    public StatusSubscription Subscribe(Guid? agentId = null)
    {
        var channel = Channel.CreateBounded<StatusChange>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        var subscriber = new Subscriber(agentId, channel);
        lock (_lock)
        {
            IReadOnlyDictionary<Guid, AgentLiveState> snapshot = agentId is { } id
                ? _states.TryGetValue(id, out var s) ? new Dictionary<Guid, AgentLiveState> { [id] = s } : []
                : _states;
            _subscribers.Add(subscriber);
            return new StatusSubscription(snapshot, channel.Reader, () => Remove(subscriber));
        }
    }

    /// <summary>
    /// Changes another node's chokepoint committed, as the scale-out relay received them: published to this node's
    /// subscribers exactly as a local commit is. Only the relay calls this.
    /// </summary>
    public void PublishCommittedElsewhere(AgentLiveState state, IReadOnlyList<StatusChange> changes) => Publish(state, changes);

    internal void Publish(AgentLiveState state, IReadOnlyList<StatusChange> changes)
    {
        if (changes.Count == 0) return;
        lock (_lock)
        {
            if (changes.Any(c => c.Field == StatusField.AgentDeleted))
            {
                Forget(state.AgentId);
            }
            else if (!_deleted.Contains(state.AgentId) && (!_states.TryGetValue(state.AgentId, out var known) || known.Sequence < state.Sequence))
            {
                Count(known, state);
                _states = _states.SetItem(state.AgentId, state);
            }

            foreach (var sub in _subscribers)
            {
                if (sub.AgentId is { } id && id != state.AgentId) continue;
                foreach (var change in changes) sub.Channel.Writer.TryWrite(change);
            }
        }
    }

    // Under _lock: one agent's state moves from known (null: new) to now.
    private void Count(AgentLiveState? known, AgentLiveState now)
    {
        if (known is not null)
        {
            _health[(int)known.Health]--;
            _sync[(int)known.Sync]--;
        }

        _health[(int)now.Health]++;
        _sync[(int)now.Sync]++;
    }

    // Under _lock: a deleted agent leaves the states (and the counts) the bus holds.
    private void Forget(Guid agentId)
    {
        _deleted.Add(agentId);
        if (!_states.TryGetValue(agentId, out var known)) return;
        _health[(int)known.Health]--;
        _sync[(int)known.Sync]--;
        _states = _states.Remove(agentId);
    }

    /// <summary>Subscribes to every provisioning run's committed changes (same bounds as agent subscriptions).</summary>
    public RunSubscription SubscribeRuns()
    {
        var channel = Channel.CreateBounded<RunChange>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock) _runSubscribers.Add(channel);
        return new RunSubscription(channel.Reader, () =>
        {
            lock (_lock) _runSubscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }

    /// <summary>A run's changes another node committed, as the scale-out relay received them. Only the relay calls this.</summary>
    public void PublishRunCommittedElsewhere(IReadOnlyList<RunChange> changes) => PublishRun(changes);

    internal void PublishRun(IReadOnlyList<RunChange> changes)
    {
        if (changes.Count == 0) return;
        lock (_lock)
        {
            foreach (var sub in _runSubscribers)
            {
                foreach (var change in changes) sub.Writer.TryWrite(change);
            }
        }
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_lock) _subscribers.Remove(subscriber);
        subscriber.Channel.Writer.TryComplete();
    }

    private sealed record Subscriber(Guid? AgentId, Channel<StatusChange> Channel);
}
