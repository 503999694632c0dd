using System.Threading.Channels;
using Cutover.Core.Provisioning;

namespace Cutover.Core.Status;

/// <summary>
/// In-process publication of committed status changes. Only <see cref="StatusChokepoint"/> publishes. A subscriber
/// gets the current snapshot and its change stream taken under one lock, so no change falls between the two
/// (the pattern of Aspire's ResourceNotificationService).
/// </summary>
public sealed class StatusBus
{
    private const int SubscriberCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, AgentLiveState> _states = [];
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<Channel<RunChange>> _runSubscribers = [];

    /// <summary>Loads states read from the database at start-up; later states win by sequence.</summary>
    public void Seed(IEnumerable<AgentLiveState> states)
    {
        lock (_lock)
        {
            foreach (var s in states)
            {
                if (!_states.TryGetValue(s.AgentId, out var known) || known.Sequence < s.Sequence) _states[s.AgentId] = s;
            }
        }
    }

    public AgentLiveState? Current(Guid agentId)
    {
        lock (_lock) return _states.GetValueOrDefault(agentId);
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
                : new Dictionary<Guid, AgentLiveState>(_states);
            _subscribers.Add(subscriber);
            return new StatusSubscription(snapshot, channel.Reader, () => Remove(subscriber));
        }
    }

    internal void Publish(AgentLiveState state, IReadOnlyList<StatusChange> changes)
    {
        if (changes.Count == 0) return;
        lock (_lock)
        {
            if (!_states.TryGetValue(state.AgentId, out var known) || known.Sequence < state.Sequence) _states[state.AgentId] = state;
            foreach (var sub in _subscribers)
            {
                if (sub.AgentId is { } id && id != state.AgentId) continue;
                foreach (var change in changes) sub.Channel.Writer.TryWrite(change);
            }
        }
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
