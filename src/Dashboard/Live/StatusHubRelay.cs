using Cutover.Core.Status;
using Microsoft.AspNetCore.SignalR;

namespace Cutover.Dashboard.Live;

/// <summary>
/// Fans committed changes out to hub clients: one <see cref="StatusBus"/> subscription for the whole process, each
/// change sent once to "all" plus the agent's group. It subscribes in StartAsync (before the server listens), so
/// no change committed after start-up is missed; a relay that falls far behind loses the oldest changes and the
/// clients see the sequence gap.
/// </summary>
internal sealed class StatusHubRelay(StatusBus bus, IHubContext<StatusHub, IStatusClient> hub, ILogger<StatusHubRelay> logger)
    : StatusBusWorker(bus)
{
    protected override async Task HandleAsync(StatusChange change, CancellationToken cancellationToken)
    {
        try
        {
            await hub.Clients.Groups(StatusHub.AllGroup, StatusHub.AgentGroup(change.AgentId))
                .StatusChanged(StatusChangeMessage.Of(change));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not relay status change {Sequence} of agent {AgentId}", change.Sequence, change.AgentId);
        }
    }
}
