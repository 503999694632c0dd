using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;

namespace Cutover.Core.Status;

/// <summary>
/// Writes the notifications that committed changes raise into the outbox, inside the change's own transaction (after
/// SaveChanges, before commit, beside <see cref="IStatusRelay"/>): a change that commits always has its
/// notifications, one that rolls back never does, and no receiver is called here. Saves the context only when it
/// added rows; when no change raises an event, or nobody subscribed, it does nothing.
/// </summary>
public interface IChangeOutbox
{
    Task EnqueueAsync(CutoverDbContext db, Agent agent, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken);

    /// <summary>A provisioning run's own changes, the same way.</summary>
    Task EnqueueRunAsync(CutoverDbContext db, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// A git source's sync that ended Failed: its bookkeeping is the sync entry's own write (not a status change of
    /// an agent), so the rows join that write's context before its SaveChanges.
    /// </summary>
    Task EnqueueSourceFailedAsync(CutoverDbContext db, Guid sourceId, string sourceName, string error, string actor, DateTime at,
        CancellationToken cancellationToken);
}
