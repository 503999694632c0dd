using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Core.Status;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The one seam between the dashboard's components and its data, in the shape of Aspire's <c>IDashboardClient</c>:
/// pages ask it for a snapshot, subscribe to typed changes (batched, at most one batch per window), and run their
/// actions through it. Components inject this and nothing else for data; bunit tests fake it.
/// </summary>
public interface IDashboardClient
{
    /// <summary>One page of the agents overview, filtered and sorted in SQL.</summary>
    Task<PagedResult<AgentListRow>> GetAgentsAsync(AgentListRequest request, CancellationToken cancellationToken);

    /// <summary>Agents per health and sync state, as the live states say (no query).</summary>
    Task<StatusCounts> GetAgentCountsAsync(CancellationToken cancellationToken);

    /// <summary>One agent's page, or null when there is no such agent.</summary>
    Task<AgentSnapshot?> GetAgentAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary>Events older than <paramref name="beforeSequence"/>, newest first, one page.</summary>
    Task<IReadOnlyList<EventRow>> GetOlderEventsAsync(Guid agentId, long beforeSequence, CancellationToken cancellationToken);

    Task<AuditPage> GetAuditAsync(AuditRequest request, CancellationToken cancellationToken);

    Task<string?> GetAgentNameAsync(Guid agentId, CancellationToken cancellationToken);

    Task<SystemSnapshot> GetSystemAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The live state of every agent (or one) and the changes that follow it, taken together. Batches are handed to
    /// <paramref name="onChanges"/> through <paramref name="dispatch"/> (pass the component's <c>InvokeAsync</c>),
    /// at most one per batch window. Dispose to stop; disposing waits for a batch in progress.
    /// </summary>
    DashboardSubscription Subscribe(Guid? agentId, Func<Func<Task>, Task> dispatch, Func<IReadOnlyList<DashboardChange>, Task> onChanges);

    /// <summary>
    /// Promotes, but only while <paramref name="expectedProductionDeploymentId"/> is still production (what the person
    /// confirmed against; null: none); otherwise <c>Failure.StaleProduction</c> naming the current one.
    /// </summary>
    Task<Outcome<Deployment>> PromoteAsync(Guid agentId, Guid deploymentId, Guid? expectedProductionDeploymentId, string? reason, string actor,
        CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null);

    /// <summary>Rolls back to <paramref name="toDeploymentId"/>, guarded like <see cref="PromoteAsync"/>.</summary>
    Task<Outcome<Deployment>> RollbackAsync(Guid agentId, Guid toDeploymentId, Guid? expectedProductionDeploymentId, string? reason, string actor,
        CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null);

    /// <summary>The agent's latest guard (live evidence while it watches) and its default guard.</summary>
    Task<GuardInfo> GetGuardAsync(Guid agentId, CancellationToken cancellationToken);

    /// <summary>Stops the agent's watching guard; production stays as it is.</summary>
    Task<Outcome<Core.Guards.Guard>> AbortGuardAsync(Guid agentId, string actor, CancellationToken cancellationToken);

    Task<Outcome<Deployment>> DeleteAsync(Guid agentId, Guid deploymentId, string? reason, string actor, CancellationToken cancellationToken);

    /// <summary>Whether a runtime runs deployments here, and which images it offers.</summary>
    (bool Enabled, IReadOnlyList<string> Images) DeployRuntime { get; }

    Task<Outcome<Deployment>> DeployAsync(Guid agentId, DockerImage image, string actor, CancellationToken cancellationToken);

    /// <summary>Completes when the runtime's deployment is Ready or Failed; null when no runtime starts it.</summary>
    Task<DeployVerdict>? WaitForSettledAsync(Guid deploymentId, CancellationToken cancellationToken);

    /// <summary>The deployment's RPC traffic through Cutover over <paramref name="window"/> (in memory, no query).</summary>
    Traffic.TrafficSnapshot GetTraffic(Guid deploymentId, TimeSpan window);

    /// <summary>The recorded reason of a deployment's status (why it failed).</summary>
    Task<string?> GetDeploymentDetailAsync(Guid deploymentId, CancellationToken cancellationToken);
}
