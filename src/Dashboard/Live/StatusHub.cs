using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Cutover.Dashboard.Live;

/// <summary>
/// <c>/hubs/status</c>: live status for clients outside the process (API.md, Live status). Every connection starts
/// in the group <see cref="AllGroup"/> and receives every agent's changes. <c>Subscribe(agentId)</c> narrows it:
/// the connection joins that agent's group and, on its first subscription, leaves "all"; <c>Unsubscribe</c> of its
/// last agent puts it back in "all". A connection is never in "all" and an agent group at once, so it never gets a
/// change twice from the fan-out (<see cref="StatusHubRelay"/>).
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class StatusHub(HubConnections connections) : Hub<IStatusClient>
{
    public const string Path = "/hubs/status";
    public const string AllGroup = "all";
    public const int MaxSubscriptions = 200;

    private const string SubscriptionsKey = "cutover:subscriptions";

    public static string AgentGroup(Guid agentId) => "agent:" + agentId.ToString("N");

    public override async Task OnConnectedAsync()
    {
        connections.Opened(Context);
        await Groups.AddToGroupAsync(Context.ConnectionId, AllGroup);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Receive only the changes of the agents subscribed to (this one and any others).</summary>
    public async Task Subscribe(Guid agentId)
    {
        var subscriptions = Subscriptions();
        if (subscriptions.Contains(agentId)) return;
        if (subscriptions.Count >= MaxSubscriptions)
            throw new HubException($"At most {MaxSubscriptions} agents per connection; unsubscribe from one first.");

        // Join first, leave "all" second: in between a change may arrive twice (the sequence tells), never not at all.
        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroup(agentId));
        subscriptions.Add(agentId);
        if (subscriptions.Count == 1) await Groups.RemoveFromGroupAsync(Context.ConnectionId, AllGroup);
    }

    /// <summary>Stop receiving this agent's changes; with no subscription left, receive every agent's again.</summary>
    public async Task Unsubscribe(Guid agentId)
    {
        var subscriptions = Subscriptions();
        if (!subscriptions.Remove(agentId)) return;
        if (subscriptions.Count == 0) await Groups.AddToGroupAsync(Context.ConnectionId, AllGroup);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, AgentGroup(agentId));
    }

    // Hub methods of one connection run one at a time (MaximumParallelInvocationsPerClient = 1), so a plain set is safe.
    private HashSet<Guid> Subscriptions()
    {
        if (Context.Items.TryGetValue(SubscriptionsKey, out var value) && value is HashSet<Guid> set) return set;
        var created = new HashSet<Guid>();
        Context.Items[SubscriptionsKey] = created;
        return created;
    }
}
