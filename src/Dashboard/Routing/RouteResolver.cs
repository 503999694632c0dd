using System.Collections.Concurrent;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Finds where an RPC goes: the production deployment (legacy URL as fallback) or one deployment (preview).
/// Routes are cached per agent and stamped with the agent's sequence as read from the database. The status
/// chokepoint sets the bus's <see cref="StatusBus.Current"/> state inside Publish, before UpdateStatusAsync
/// returns, so comparing the stamp with it is a cheap in-memory check that cannot miss a promote: a request that
/// starts after a promote returns sees the new sequence, finds the stamp older, and reads the database again.
/// (An async channel subscriber could not give that guarantee: its reader runs some time after the promote
/// returned.)
/// </summary>
public sealed class RouteResolver(
    IDbContextFactory<CutoverDbContext> dbFactory,
    StatusBus bus,
    IOptionsMonitor<RoutingOptions> options)
{
    /// <summary>Keyed by agent and the deployment asked for; null is the production route, a slot no deployment id can take.</summary>
    private readonly ConcurrentDictionary<(Guid Agent, Guid? Deployment), CachedRoute> _routes = new();
    private readonly ConcurrentDictionary<string, Guid> _names = new(StringComparer.Ordinal);

    /// <summary>The production route of an agent: its production deployment, else its legacy URL.</summary>
    public ValueTask<Outcome<RouteTarget>> ResolveProductionAsync(Guid agentId, CancellationToken cancellationToken) =>
        ResolveAsync(agentId, null, cancellationToken);

    /// <summary>A preview route: exactly that deployment of that agent, if it is Ready and not deleted.</summary>
    public ValueTask<Outcome<RouteTarget>> ResolvePreviewAsync(Guid agentId, Guid deploymentId, CancellationToken cancellationToken) =>
        ResolveAsync(agentId, deploymentId, cancellationToken);

    /// <summary>The production route of the agent with this name.</summary>
    public async ValueTask<Outcome<RouteTarget>> ResolveProductionByNameAsync(string name, CancellationToken cancellationToken)
    {
        if (_names.TryGetValue(name, out var cachedId))
        {
            var outcome = await ResolveAsync(cachedId, null, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure?.Kind != FailureKind.NotFound) return outcome;
            // The agent behind a cached name is gone; the name may now belong to another agent.
            _names.TryRemove(name, out _);
        }

        Guid? id;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            id = await db.Agents.AsNoTracking().Where(a => a.Name == name).Select(a => (Guid?)a.Id)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }

        if (id is not { } agentId) return Failure.NotFound($"No agent named '{name}'.");
        _names[name] = agentId;
        return await ResolveAsync(agentId, null, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Outcome<RouteTarget>> ResolveAsync(Guid agentId, Guid? deploymentId, CancellationToken cancellationToken)
    {
        var key = (agentId, deploymentId);
        // A hit needs the entry's stamp to equal the live sequence. The stamp is the database's own sequence,
        // read before the rows it describes, so a hit's data includes every change published before this call.
        var live = bus.Current(agentId);
        if (live is not null && _routes.TryGetValue(key, out var cached) && cached.Sequence == live.Sequence) return cached.Outcome;

        var (outcome, sequence) = await LoadAsync(agentId, deploymentId, cancellationToken).ConfigureAwait(false);
        // Unknown agents and deployments are not cached: anyone may ask for random ids.
        if (sequence is { } s && outcome.Failure?.Kind != FailureKind.NotFound)
        {
            if (_routes.Count >= options.CurrentValue.RouteCacheCapacity) _routes.Clear();
            _routes[key] = new CachedRoute(s, outcome);
        }

        return outcome;
    }

    /// <summary>
    /// Reads the agent (and its sequence) before the deployment: the deployment row is then at least as new as
    /// the sequence the route is stamped with, never older.
    /// </summary>
    private async Task<(Outcome<RouteTarget> Outcome, long? Sequence)> LoadAsync(Guid agentId, Guid? deploymentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var agent = await db.Agents.AsNoTracking().Where(a => a.Id == agentId)
            .Select(a => new { a.AcpUrl, a.ProductionDeploymentId, a.LastSequence, a.DeletedAt })
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (agent is null) return (Failure.NotFound($"No agent with id {agentId}."), null);
        if (agent.DeletedAt is not null) return (Failure.Gone($"Agent {agentId} was deleted and is no longer routable."), agent.LastSequence);

        var wanted = deploymentId ?? agent.ProductionDeploymentId;
        var deployment = wanted is { } id
            ? await db.Deployments.AsNoTracking().Where(d => d.Id == id)
                .Select(d => new RouteCandidate(d.Id, d.AgentId, d.Status, d.ExpiresAt, d.AcpUrl))
                .FirstOrDefaultAsync(ct).ConfigureAwait(false)
            : null;

        var outcome = deploymentId is null
            ? Production(agentId, agent.AcpUrl, deployment)
            : Preview(agentId, deploymentId.Value, deployment);
        return (outcome, agent.LastSequence);
    }

    private static Outcome<RouteTarget> Production(Guid agentId, string? legacyUrl, RouteCandidate? production)
    {
        // A production deployment that has since failed still takes the traffic: production is the operator's
        // decision, and the agent's own answer (or a 502) says more than a refusal would.
        // Production is never stopped (the chokepoint refuses it); should one be, it is not routable either.
        if (production is { Status: DeploymentStatus.Stopped }) return Failure.Conflict("The production deployment is stopped.");
        if (production is { AcpUrl: { } url } && TryUri(url) is { } uri) return new RouteTarget(agentId, production.Id, uri);
        if (legacyUrl is not null && TryUri(legacyUrl) is { } legacy) return new RouteTarget(agentId, null, legacy);
        return Failure.Conflict("The agent has no routable deployment: no production deployment with a URL and no legacy URL.");
    }

    private static Outcome<RouteTarget> Preview(Guid agentId, Guid deploymentId, RouteCandidate? d)
    {
        // Another agent's deployment is reported exactly like a missing one, so ids cannot be probed across agents.
        if (d is null || d.AgentId != agentId) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
        if (d.ExpiresAt is not null) return Failure.Gone($"Deployment {deploymentId} was deleted and is no longer routable.");
        if (Transitions.CannotServeProduction(d.Status, isDeleted: false) is { } why) return Failure.Conflict($"Deployment {deploymentId}: {why}");
        if (d.AcpUrl is null || TryUri(d.AcpUrl) is not { } uri) return Failure.Conflict($"Deployment {deploymentId} has no URL to route to.");
        return new RouteTarget(agentId, d.Id, uri);
    }

    private static Uri? TryUri(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    private sealed record CachedRoute(long Sequence, Outcome<RouteTarget> Outcome);

    private sealed record RouteCandidate(Guid Id, Guid AgentId, DeploymentStatus Status, DateTime? ExpiresAt, string? AcpUrl);
}
