using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Queries;

/// <summary>
/// The dashboard's reads of agents, deployments and timelines. Each call opens its own context (Blazor circuits
/// live long; a shared context would grow and go stale) and reads without tracking. Lists are paged in SQL so
/// thousands of agents cost one page of rows plus one count.
/// </summary>
public sealed class AgentQueries(IDbContextFactory<CutoverDbContext> dbFactory)
{
    public const int DefaultTimelineTake = 100;

    public async Task<PagedResult<AgentListRow>> ListAsync(AgentListRequest request, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(request.Take, 1, AgentListRequest.MaxTake);
        var skip = Math.Max(0, request.Skip);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        var agents = AgentFilter.Apply(db.Agents.AsNoTracking(), request.Search, request.Health, request.Sync);

        var total = await agents.CountAsync(cancellationToken).ConfigureAwait(false);
        if (total == 0 || skip >= total) return new PagedResult<AgentListRow>([], total);

        var projected =
            from a in agents
            join p in db.Deployments on a.ProductionDeploymentId equals (Guid?)p.Id into production
            from p in production.DefaultIfEmpty()
            select new AgentProjection
            {
                Agent = a,
                Production = p,
                DeploymentCount = db.Deployments.Count(d => d.AgentId == a.Id && d.ExpiresAt == null),
            };

        var page = await Order(projected, request.Sort, request.Descending)
            .Skip(skip)
            .Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var rows = page.Select(x => new AgentListRow(
            x.Agent.Id, x.Agent.Name, x.Agent.Description, x.Agent.Health, x.Agent.Sync, x.Agent.LastSeenAt,
            x.Agent.ProductionDeploymentId, x.Production?.DockerImage.Value, x.Production?.Metadata.ShortCommit,
            x.DeploymentCount, x.Agent.LastSequence)).ToList();
        return new PagedResult<AgentListRow>(rows, total);
    }

    /// <summary>Agents per health and sync state: two grouped counts over indexed columns.</summary>
    public async Task<StatusCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var health = await AgentFilter.Live(db.Agents).GroupBy(a => a.Health).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken).ConfigureAwait(false);
        var sync = await AgentFilter.Live(db.Agents).GroupBy(a => a.Sync).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken).ConfigureAwait(false);
        return new StatusCounts(
            health.Values.Sum(),
            health.GetValueOrDefault(HealthStatus.Healthy),
            health.GetValueOrDefault(HealthStatus.Unhealthy),
            health.GetValueOrDefault(HealthStatus.Unknown),
            sync.GetValueOrDefault(SyncStatus.OutOfSync),
            sync.GetValueOrDefault(SyncStatus.Syncing));
    }

    public async Task<AgentSummary?> GetAsync(Guid agentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var a = await db.Agents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == agentId, cancellationToken).ConfigureAwait(false);
        if (a is null) return null;
        var production = a.ProductionDeploymentId is { } pid
            ? await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == pid, cancellationToken).ConfigureAwait(false)
            : null;
        return new AgentSummary(a.Id, a.Name, a.Description, a.Health, a.Sync, a.LastSeenAt, a.LastError, a.AcpUrl,
            a.CreatedAt, a.LastSequence, production is null ? null : DeploymentRow.From(production));
    }

    /// <summary>The agent's deployments, newest first; soft-deleted ones only when asked.</summary>
    public async Task<IReadOnlyList<DeploymentRow>> DeploymentsAsync(Guid agentId, bool includeDeleted, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Deployments.AsNoTracking().Where(d => d.AgentId == agentId);
        if (!includeDeleted) query = query.Where(d => d.ExpiresAt == null);
        var list = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return list.Select(DeploymentRow.From).ToList();
    }

    /// <summary>The named deployments (deleted ones too; purged ones are simply absent), for labelling lists of events.</summary>
    public async Task<IReadOnlyDictionary<Guid, DeploymentRow>> DeploymentsByIdAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return new Dictionary<Guid, DeploymentRow>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var list = await db.Deployments.AsNoTracking().Where(d => wanted.Contains(d.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return list.ToDictionary(d => d.Id, DeploymentRow.From);
    }

    /// <summary>
    /// When each of these agents was last seen. "Last seen" is stamped by health reports and probes without a status
    /// change (so nothing is published); an open page re-reads it for the rows it shows.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, DateTime?>> LastSeenAsync(IEnumerable<Guid> agentIds, CancellationToken cancellationToken)
    {
        var wanted = agentIds.Distinct().ToList();
        if (wanted.Count == 0) return new Dictionary<Guid, DateTime?>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Agents.AsNoTracking().Where(a => wanted.Contains(a.Id)).Select(a => new { a.Id, a.LastSeenAt })
            .ToDictionaryAsync(a => a.Id, a => a.LastSeenAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest events of an agent, newest first; pass the oldest sequence shown to page further back.</summary>
    public async Task<IReadOnlyList<EventRow>> TimelineAsync(Guid agentId, long? beforeSequence, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Events.AsNoTracking().Where(e => e.AgentId == agentId);
        if (beforeSequence is { } before) query = query.Where(e => e.Sequence < before);
        return await query.OrderByDescending(e => e.Sequence).Take(Math.Clamp(take, 1, 500))
            .Select(e => new EventRow(e.Id, e.AgentId, null, e.DeploymentId, e.Kind, e.Actor, e.Reason, e.From, e.To, e.At, e.Sequence))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Events newer than <paramref name="afterSequence"/>, newest first: what a live page prepends.</summary>
    public async Task<IReadOnlyList<EventRow>> TimelineSinceAsync(Guid agentId, long afterSequence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Events.AsNoTracking()
            .Where(e => e.AgentId == agentId && e.Sequence > afterSequence)
            .OrderByDescending(e => e.Sequence).Take(500)
            .Select(e => new EventRow(e.Id, e.AgentId, null, e.DeploymentId, e.Kind, e.Actor, e.Reason, e.From, e.To, e.At, e.Sequence))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<AgentProjection> Order(IQueryable<AgentProjection> q, AgentSort sort, bool descending)
    {
        // Status sorts go by severity (what needs attention first), not by the enum's stored text.
        var ordered = sort switch
        {
            AgentSort.Health => By(q, x => x.Agent.Health == HealthStatus.Unhealthy ? 0 : x.Agent.Health == HealthStatus.Unknown ? 1 : 2, descending),
            AgentSort.Sync => By(q, x => x.Agent.Sync == SyncStatus.OutOfSync ? 0 : x.Agent.Sync == SyncStatus.Syncing ? 1 : x.Agent.Sync == SyncStatus.Unknown ? 2 : 3, descending),
            AgentSort.LastSeen => By(q, x => x.Agent.LastSeenAt, descending),
            AgentSort.Deployments => By(q, x => x.DeploymentCount, descending),
            AgentSort.ProductionImage => By(q, x => x.Production!.DockerImage, descending),
            _ => By(q, x => x.Agent.Name, descending),
        };
        return ordered.ThenBy(x => x.Agent.Name);
    }

    private static IOrderedQueryable<AgentProjection> By<TKey>(IQueryable<AgentProjection> q,
        System.Linq.Expressions.Expression<Func<AgentProjection, TKey>> key, bool descending) =>
        descending ? q.OrderByDescending(key) : q.OrderBy(key);

    private sealed class AgentProjection
    {
        public required Agent Agent { get; init; }

        public Deployment? Production { get; init; }

        public int DeploymentCount { get; init; }
    }
}
