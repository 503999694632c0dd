using System.Reflection;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The dashboard seam over the database (queries through <see cref="IDbContextFactory{TContext}"/>), the status bus
/// and the domain services. One per circuit. A subscription gathers bus changes for one batch window
/// (<see cref="LiveStatusListener"/>), turns them into typed changes (reading the rows a change touched once per
/// batch), and hands the batch to the page; a sequence gap or a reconnection asks the page to reload instead.
/// </summary>
public sealed class DashboardClient(
    AgentQueries agents,
    AuditQueries audit,
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    DeploymentService deployments,
    DeploymentLauncher deploys,
    LastSeenFeed lastSeen,
    CircuitConnection connection,
    DatabaseInfo database,
    ScaleOut.NodeIdentity node,
    TimeProvider time,
    Traffic.TrafficFigures traffic,
    Core.Guards.GuardService guards,
    ILogger<DashboardClient> logger) : IDashboardClient
{
    private static readonly DateTime StartedAt = DateTime.UtcNow;

    public Task<PagedResult<AgentListRow>> GetAgentsAsync(AgentListRequest request, CancellationToken cancellationToken) =>
        agents.ListAsync(request, cancellationToken);

    // From the bus's live states (kept as they change), not a count in SQL per change and per open page.
    public Task<StatusCounts> GetAgentCountsAsync(CancellationToken cancellationToken) => Task.FromResult(bus.Counts());

    public async Task<AgentSnapshot?> GetAgentAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(agentId, cancellationToken);
        if (agent is null) return null;
        var rows = await agents.DeploymentsAsync(agentId, includeDeleted: true, cancellationToken);
        var events = await agents.TimelineAsync(agentId, null, AgentQueries.DefaultTimelineTake, cancellationToken);
        Core.Sources.SourceDeclaration? declaration;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            declaration = await Core.Sources.SourceDeclaration.FindAsync(db, agentId, cancellationToken);
        return new AgentSnapshot(agent, rows, await RollbackTargetAsync(agentId, cancellationToken), events,
            events.Count == AgentQueries.DefaultTimelineTake, declaration);
    }

    public Task<IReadOnlyList<EventRow>> GetOlderEventsAsync(Guid agentId, long beforeSequence, CancellationToken cancellationToken) =>
        agents.TimelineAsync(agentId, beforeSequence, AgentQueries.DefaultTimelineTake, cancellationToken);

    public async Task<AuditPage> GetAuditAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        var page = await audit.ListAsync(request, cancellationToken);
        var named = await agents.DeploymentsByIdAsync(
            page.Items.Where(r => r.DeploymentId is not null).Select(r => r.DeploymentId!.Value), cancellationToken);
        return new AuditPage(page, named);
    }

    public async Task<string?> GetAgentNameAsync(Guid agentId, CancellationToken cancellationToken) =>
        bus.Current(agentId)?.Name ?? (await agents.GetAsync(agentId, cancellationToken))?.Name;

    public async Task<SystemSnapshot> GetSystemAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = typeof(DashboardClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(DashboardClient).Assembly.GetName().Version?.ToString() ?? "unknown";
        return new SystemSnapshot(
            version.Split('+')[0],
            StartedAt,
            node.Name,
            database.Provider,
            database.Location,
            await db.Agents.CountAsync(cancellationToken),
            await db.Deployments.CountAsync(d => d.ExpiresAt == null, cancellationToken),
            await db.Deployments.CountAsync(d => d.IsProduction, cancellationToken),
            await db.Events.CountAsync(cancellationToken),
            await db.Users.CountAsync(cancellationToken),
            time.GetUtcNow().UtcDateTime);
    }

    public DashboardSubscription Subscribe(Guid? agentId, Func<Func<Task>, Task> dispatch, Func<IReadOnlyList<DashboardChange>, Task> onChanges)
    {
        var stop = new CancellationTokenSource();
        var listener = LiveStatusListener.Start(bus, agentId,
            work => work(),
            async changes =>
            {
                var batch = await MapAsync(agentId, changes, stop.Token);
                await dispatch(() => stop.IsCancellationRequested ? Task.CompletedTask : onChanges(batch));
            },
            () => dispatch(() => stop.IsCancellationRequested ? Task.CompletedTask : onChanges([new SnapshotStale("changes were missed")])),
            time, logger: logger);

        void OnSeen(IReadOnlyList<AgentSeen> seen)
        {
            IReadOnlyList<DashboardChange> mine = agentId is { } id ? seen.Where(s => s.AgentId == id).ToList() : seen;
            if (mine.Count > 0) Forget(dispatch(() => stop.IsCancellationRequested ? Task.CompletedTask : onChanges(mine)));
        }

        void OnReconnected() =>
            Forget(dispatch(() => stop.IsCancellationRequested ? Task.CompletedTask : onChanges([new SnapshotStale("reconnected")])));

        var seenSubscription = lastSeen.Subscribe(OnSeen);
        connection.Reconnected += OnReconnected;
        return new DashboardSubscription(listener.Snapshot, async () =>
        {
            await stop.CancelAsync();
            connection.Reconnected -= OnReconnected;
            seenSubscription.Dispose();
            await listener.DisposeAsync();
            stop.Dispose();
        });
    }

    // Core's guard compares with a deployment id; a confirmation made while there was no production is not guarded.
    public Task<Outcome<Deployment>> PromoteAsync(Guid agentId, Guid deploymentId, Guid? expectedProductionDeploymentId, string? reason,
        string actor, CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null) =>
        deployments.PromoteAsync(agentId, deploymentId, reason, actor, cancellationToken, expectedProductionDeploymentId, guard);

    public Task<Outcome<Deployment>> RollbackAsync(Guid agentId, Guid toDeploymentId, Guid? expectedProductionDeploymentId, string? reason,
        string actor, CancellationToken cancellationToken, Core.Guards.GuardSettings? guard = null) =>
        deployments.RollbackAsync(agentId, toDeploymentId, reason, actor, cancellationToken, expectedProductionDeploymentId, guard);

    public async Task<GuardInfo> GetGuardAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var latest = await guards.LatestAsync(agentId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        return new GuardInfo(latest, agent?.DefaultGuard);
    }

    public Task<Outcome<Core.Guards.Guard>> AbortGuardAsync(Guid agentId, string actor, CancellationToken cancellationToken) =>
        guards.AbortAsync(agentId, "from the agent page", actor, cancellationToken);

    public Task<Outcome<Deployment>> DeleteAsync(Guid agentId, Guid deploymentId, string? reason, string actor, CancellationToken cancellationToken) =>
        deployments.DeleteAsync(agentId, deploymentId, reason, actor, cancellationToken);

    public Task<Outcome<Deployment>> StopAsync(Guid agentId, Guid deploymentId, string? reason, string actor, CancellationToken cancellationToken) =>
        deploys.StopAsync(agentId, deploymentId, $"by {actor}", reason, actor, cancellationToken);

    public Task<Outcome<Deployment>> StartAsync(Guid agentId, Guid deploymentId, string? reason, string actor, CancellationToken cancellationToken) =>
        deploys.StartAsync(agentId, deploymentId, reason, actor, cancellationToken);

    public DateTime? GetIdleStopAt(DeploymentRow d) =>
        DockerImage.TryParse(d.Image, out var image, out _) && deploys.Runs(image)
            ? IdleStop.DueAt(d.IsProduction, d.Status, d.IsDeleted, d.StatusChangedAt ?? d.CreatedAt, Runtime.IdlePreviewStopper.Latest(traffic.LastRequestAt(d.Id), d.LastRpcAt),
                traffic.CountingSince, deploys.PreviewIdleStopAfter)
            : null;

    public (bool Enabled, IReadOnlyList<string> Images) DeployRuntime => (deploys.Runtime.IsEnabled, deploys.Runtime.Images);

    public Task<Outcome<Deployment>> DeployAsync(Guid agentId, DockerImage image, string actor, CancellationToken cancellationToken) =>
        deploys.DeployAsync(agentId, image, null, actor, cancellationToken);

    public Task<DeployVerdict>? WaitForSettledAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        deploys.WaitForSettledAsync(deploymentId, cancellationToken);

    public Traffic.TrafficSnapshot GetTraffic(Guid deploymentId, TimeSpan window) => traffic.Read(deploymentId, window);

    public Traffic.TrafficSeries GetTrafficSeries(Guid deploymentId) => traffic.Series(deploymentId);

    public async Task<string?> GetDeploymentDetailAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.StatusDetail).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Every change becomes a timeline event; the agents it touched become one status upsert each (from the bus,
    /// no query). An agent's own page also gets its header and the touched deployment rows, read once per batch.
    /// </summary>
    private async Task<IReadOnlyList<DashboardChange>> MapAsync(Guid? agentId, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken)
    {
        var batch = new List<DashboardChange>(changes.Count + 4);
        foreach (var id in changes.Select(c => c.AgentId).Distinct())
        {
            if (bus.Current(id) is { } state) batch.Add(new AgentStatusChanged(state));
        }

        if (agentId is { } agent)
        {
            if (await agents.GetAsync(agent, cancellationToken) is { } summary)
                batch.Add(new AgentUpserted(summary, await RollbackTargetAsync(agent, cancellationToken)));
            var touched = changes.Where(c => c.DeploymentId is not null).Select(c => c.DeploymentId!.Value).Distinct().ToList();
            if (touched.Count > 0)
            {
                var rows = await agents.DeploymentsByIdAsync(touched, cancellationToken);
                batch.AddRange(rows.Values.Select(r => new DeploymentUpserted(r)));
            }
        }

        batch.AddRange(changes.Select(c => new TimelineEventAdded(new EventRow(EventId(c), c.AgentId, bus.Current(c.AgentId)?.Name,
            c.DeploymentId, c.Kind, c.Actor, c.Reason, c.From, c.To, c.At, c.Sequence))));
        return batch;
    }

    private async Task<DeploymentRow?> RollbackTargetAsync(Guid agentId, CancellationToken cancellationToken) =>
        await deployments.PreviewRollbackTargetAsync(agentId, cancellationToken) is { } target ? DeploymentRow.From(target) : null;

    /// <summary>A stable key for a published event (agent and sequence identify it); the stored id is not published.</summary>
    private static Guid EventId(StatusChange c)
    {
        Span<byte> bytes = stackalloc byte[16];
        c.AgentId.TryWriteBytes(bytes);
        var seq = BitConverter.GetBytes(c.Sequence);
        for (var i = 0; i < 8; i++) bytes[8 + i] ^= seq[i];
        return new Guid(bytes);
    }

    private void Forget(Task task) =>
        task.ContinueWith(t => logger.LogDebug(t.Exception, "A live notification did not reach its page"), TaskContinuationOptions.OnlyOnFaulted);
}
