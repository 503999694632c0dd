using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;

namespace Cutover.Core.Status;

/// <summary>
/// Hands a change to the other Cutover nodes from inside its transaction, after SaveChanges and before commit, so it
/// reaches them only if it commits (PostgreSQL's NOTIFY is delivered at commit). One node on SQLite has no one to tell.
/// </summary>
public interface IStatusRelay
{
    Task SendAsync(CutoverDbContext db, AgentLiveState state, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken);

    /// <summary>A provisioning run's own changes (its status, its ledger), the same way.</summary>
    Task SendRunAsync(CutoverDbContext db, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken);
}
