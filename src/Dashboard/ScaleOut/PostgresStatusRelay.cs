using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Sends each commit's changes with <c>pg_notify</c> on the commit's own connection and transaction: PostgreSQL
/// delivers them to every listening node when (and only if) the transaction commits, in commit order.
/// </summary>
internal sealed class PostgresStatusRelay(NodeIdentity node) : IStatusRelay
{
    public const string Channel = "cutover_status";
    public const string RunChannel = "cutover_runs";

    public async Task SendAsync(CutoverDbContext db, AgentLiveState state, IReadOnlyList<StatusChange> changes, CancellationToken cancellationToken)
    {
        foreach (var payload in RelayMessage.Payloads(node.Id, state, changes))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SendRunAsync(CutoverDbContext db, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken)
    {
        foreach (var payload in RunRelayMessage.Payloads(node.Id, changes))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({RunChannel}, {payload})", cancellationToken).ConfigureAwait(false);
        }
    }
}
