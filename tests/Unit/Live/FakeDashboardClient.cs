using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// The dashboard seam, faked for component tests: pages read what the test put here, and the test drives live
/// updates by publishing batches to every open subscription, on the page's renderer, as the real seam does.
/// </summary>
internal sealed class FakeDashboardClient : IDashboardClient
{
    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];

    public List<AgentListRow> Agents { get; } = [];

    public Dictionary<Guid, AgentSnapshot> AgentPages { get; } = [];

    public List<EventRow> AuditEvents { get; } = [];

    public Dictionary<Guid, AgentLiveState> LiveStates { get; } = [];

    /// <summary>Every list request the pages made, in order.</summary>
    public List<AgentListRequest> AgentRequests { get; } = [];

    public List<AuditRequest> AuditRequests { get; } = [];

    public List<(string Action, Guid AgentId, Guid DeploymentId, string? Reason)> Actions { get; } = [];

    public int OpenSubscriptions
    {
        get
        {
            lock (_lock) return _subscribers.Count;
        }
    }

    /// <summary>Hands one batch to every open subscription (of that agent, or all), and waits until each applied it.</summary>
    public async Task PublishAsync(params DashboardChange[] batch)
    {
        Subscriber[] subscribers;
        lock (_lock) subscribers = [.. _subscribers];
        foreach (var s in subscribers) await s.Dispatch(() => s.OnChanges(batch));
    }

    public Task<PagedResult<AgentListRow>> GetAgentsAsync(AgentListRequest request, CancellationToken cancellationToken)
    {
        AgentRequests.Add(request);
        var matching = Agents
            .Where(a => request.Search is null || a.Name.Contains(request.Search, StringComparison.OrdinalIgnoreCase))
            .Where(a => request.Health is null || a.Health == request.Health)
            .Where(a => request.Sync is null || a.Sync == request.Sync)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new PagedResult<AgentListRow>(matching.Skip(request.Skip).Take(request.Take).ToList(), matching.Count));
    }

    public Task<StatusCounts> GetAgentCountsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new StatusCounts(Agents.Count,
            Agents.Count(a => a.Health == HealthStatus.Healthy), Agents.Count(a => a.Health == HealthStatus.Unhealthy),
            Agents.Count(a => a.Health == HealthStatus.Unknown), Agents.Count(a => a.Sync == SyncStatus.OutOfSync),
            Agents.Count(a => a.Sync == SyncStatus.Syncing)));

    /// <summary>How often a page asked for an agent's snapshot.</summary>
    public int AgentReads { get; private set; }

    public Task<AgentSnapshot?> GetAgentAsync(Guid agentId, CancellationToken cancellationToken)
    {
        AgentReads++;
        return Task.FromResult(AgentPages.GetValueOrDefault(agentId));
    }

    public Task<IReadOnlyList<EventRow>> GetOlderEventsAsync(Guid agentId, long beforeSequence, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EventRow>>([]);

    public Task<AuditPage> GetAuditAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        AuditRequests.Add(request);
        var matching = AuditEvents
            .Where(e => request.AgentId is null || e.AgentId == request.AgentId)
            .Where(e => request.Kind is null || e.Kind == request.Kind)
            .OrderByDescending(e => e.At)
            .ToList();
        return Task.FromResult(new AuditPage(new PagedResult<EventRow>(matching.Skip(request.Skip).Take(request.Take).ToList(), matching.Count),
            new Dictionary<Guid, DeploymentRow>()));
    }

    public Task<string?> GetAgentNameAsync(Guid agentId, CancellationToken cancellationToken) =>
        Task.FromResult(Agents.FirstOrDefault(a => a.Id == agentId)?.Name);

    public Task<SystemSnapshot> GetSystemAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new SystemSnapshot("1.0.0", DateTime.UtcNow, "test-node", "SQLite", "test.db", Agents.Count, 0, 0, 0, 1, DateTime.UtcNow));

    public DashboardSubscription Subscribe(Guid? agentId, Func<Func<Task>, Task> dispatch, Func<IReadOnlyList<DashboardChange>, Task> onChanges)
    {
        var subscriber = new Subscriber(agentId, dispatch, onChanges);
        lock (_lock) _subscribers.Add(subscriber);
        IReadOnlyDictionary<Guid, AgentLiveState> snapshot = agentId is { } id
            ? LiveStates.Where(kv => kv.Key == id).ToDictionary()
            : new Dictionary<Guid, AgentLiveState>(LiveStates);
        return new DashboardSubscription(snapshot, () =>
        {
            lock (_lock) _subscribers.Remove(subscriber);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>What promote and roll back answer, in turn (the last one repeats); a conflict when empty.</summary>
    public Queue<Outcome<Deployment>> ProductionOutcomes { get; } = new();

    public List<Guid?> ExpectedProductions { get; } = [];

    public Task<Outcome<Deployment>> PromoteAsync(Guid agentId, Guid deploymentId, Guid? expectedProductionDeploymentId, string? reason,
        string actor, CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null)
    {
        Guards.Add(guard);
        return ChangeProduction("promote", agentId, deploymentId, expectedProductionDeploymentId, reason);
    }

    public Task<Outcome<Deployment>> RollbackAsync(Guid agentId, Guid toDeploymentId, Guid? expectedProductionDeploymentId, string? reason,
        string actor, CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null)
    {
        Guards.Add(guard);
        return ChangeProduction("rollback", agentId, toDeploymentId, expectedProductionDeploymentId, reason);
    }

    /// <summary>The guard each promote or rollback carried, in order.</summary>
    public List<Core.Guards.GuardSettings?> Guards { get; } = [];

    /// <summary>What <see cref="GetGuardAsync"/> answers; the test may change it.</summary>
    public GuardInfo Guard { get; set; } = new(null, null);

    public Task<GuardInfo> GetGuardAsync(Guid agentId, CancellationToken cancellationToken) => Task.FromResult(Guard);

    public Task<Outcome<Core.Guards.Guard>> AbortGuardAsync(Guid agentId, string actor, CancellationToken cancellationToken)
    {
        Actions.Add(("abort-guard", agentId, Guid.Empty, null));
        return Task.FromResult<Outcome<Core.Guards.Guard>>(Failure.Conflict("No guard is watching this agent's production deployment."));
    }

    private Task<Outcome<Deployment>> ChangeProduction(string action, Guid agentId, Guid deploymentId, Guid? expected, string? reason)
    {
        ExpectedProductions.Add(expected);
        if (ProductionOutcomes.Count == 0) return Act(action, agentId, deploymentId, reason);
        Actions.Add((action, agentId, deploymentId, reason));
        return Task.FromResult(ProductionOutcomes.Count > 1 ? ProductionOutcomes.Dequeue() : ProductionOutcomes.Peek());
    }

    public Task<Outcome<Deployment>> DeleteAsync(Guid agentId, Guid deploymentId, string? reason, string actor, CancellationToken cancellationToken) =>
        Act("delete", agentId, deploymentId, reason);

    public (bool Enabled, IReadOnlyList<string> Images) DeployRuntime => (false, []);

    public Task<Outcome<Deployment>> DeployAsync(Guid agentId, DockerImage image, string actor, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The fake has no runtime.");

    public Task<DeployVerdict>? WaitForSettledAsync(Guid deploymentId, CancellationToken cancellationToken) => null;

    public Task<string?> GetDeploymentDetailAsync(Guid deploymentId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>What <see cref="GetTraffic"/> answers per deployment (none: no traffic); the test may change it live.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<Guid, Dashboard.Traffic.TrafficSnapshot> Traffic { get; } = new();

    public Dashboard.Traffic.TrafficSnapshot GetTraffic(Guid deploymentId, TimeSpan window) =>
        Traffic.TryGetValue(deploymentId, out var s) ? s with { Window = window } : Dashboard.Traffic.TrafficSnapshot.Empty(window);

    private Task<Outcome<Deployment>> Act(string action, Guid agentId, Guid deploymentId, string? reason)
    {
        Actions.Add((action, agentId, deploymentId, reason));
        return Task.FromResult<Outcome<Deployment>>(Failure.Conflict("The fake records actions only."));
    }

    private sealed record Subscriber(Guid? AgentId, Func<Func<Task>, Task> Dispatch, Func<IReadOnlyList<DashboardChange>, Task> OnChanges);
}
