using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Queries;

/// <summary>The audit trail across agents (and the security events that have no agent), paged in SQL, newest first.</summary>
public sealed class AuditQueries(IDbContextFactory<CutoverDbContext> dbFactory)
{
    public const int MaxTake = 200;

    public async Task<PagedResult<EventRow>> ListAsync(AuditRequest request, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(request.Take, 1, MaxTake);
        var skip = Math.Max(0, request.Skip);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        var events = db.Events.AsNoTracking();
        if (request.SecurityOnly) events = events.Where(e => e.AgentId == null);
        if (request.AgentId is { } agentId) events = events.Where(e => e.AgentId == agentId);
        if (!string.IsNullOrWhiteSpace(request.AgentName))
        {
            var term = request.AgentName.Trim().ToLowerInvariant();
            events = events.Where(e => db.Agents.Any(a => a.Id == e.AgentId && a.Name.ToLower().Contains(term)));
        }

        if (request.Kind is { } kind) events = events.Where(e => e.Kind == kind);
        if (!string.IsNullOrWhiteSpace(request.Actor))
        {
            var actor = request.Actor.Trim().ToLowerInvariant();
            events = events.Where(e => e.Actor.ToLower().Contains(actor));
        }

        if (request.From is { } from) events = events.Where(e => e.At >= from);
        if (request.To is { } to) events = events.Where(e => e.At <= to);

        var total = await events.CountAsync(cancellationToken).ConfigureAwait(false);
        if (total == 0 || skip >= total) return new PagedResult<EventRow>([], total);

        var rows = await (
                from e in events
                join a in db.Agents on e.AgentId equals (Guid?)a.Id into agent
                from a in agent.DefaultIfEmpty()
                orderby e.At descending, e.Id descending
                select new EventRow(e.Id, e.AgentId, a == null ? null : a.Name, e.DeploymentId, e.Kind, e.Actor,
                    e.Reason, e.From, e.To, e.At, e.Sequence))
            .Skip(skip)
            .Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new PagedResult<EventRow>(rows, total);
    }
}
