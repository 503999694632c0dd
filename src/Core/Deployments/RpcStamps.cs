using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Deployments;

/// <summary>
/// Single-statement "last RPC" stamps (like <see cref="Health.HealthStamps"/>: not a status field, no event, no
/// publish). Never moves backwards, so nodes stamping the same deployment in any order keep the newest call.
/// </summary>
public static class RpcStamps
{
    public static Task<int> StampAsync(CutoverDbContext db, Guid deploymentId, DateTime at, CancellationToken cancellationToken) =>
        db.Deployments
            .Where(d => d.Id == deploymentId && (d.LastRpcAt == null || d.LastRpcAt < at))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastRpcAt, at), cancellationToken);
}
