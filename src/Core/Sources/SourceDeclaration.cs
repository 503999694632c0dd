using Cutover.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Sources;

/// <summary>What a source declares for one agent: "declared by source X at commit Y", for the agent's page.</summary>
public sealed record SourceDeclaration(Guid SourceId, string SourceName, string Image, string Commit, DateTime? LastSyncedAt)
{
    /// <summary>The declaration of <paramref name="agentId"/>, or null when no source declares it.</summary>
    public static Task<SourceDeclaration?> FindAsync(CutoverDbContext db, Guid agentId, CancellationToken cancellationToken) =>
        (from a in db.Set<SourceAgent>().AsNoTracking()
         join s in db.Set<Source>().AsNoTracking() on a.SourceId equals s.Id
         where a.AgentId == agentId
         select new SourceDeclaration(s.Id, s.Name, a.Image, a.Commit, a.LastSyncedAt))
        .FirstOrDefaultAsync(cancellationToken);
}
