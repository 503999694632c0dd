using Cutover.Core.Domain;
using Cutover.Core.Persistence;

namespace Cutover.Tests.Unit.Queries;

/// <summary>
/// Seeds many agents straight through EF (one SaveChanges) instead of through the chokepoint: these tests read,
/// and thousands of status transactions would make the seeding, not the query, the slow part. The rows are built
/// with the same internal setters the chokepoint uses, so they are shaped as the chokepoint would leave them.
/// </summary>
internal static class BulkAgents
{
    public static readonly DateTime Start = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Agent i is named <c>agent-{i:D5}</c>, has 1 + i % 4 live deployments (the first one is production, image
    /// <c>registry.local/agent-i:1</c>, commit <c>c{i:D5}abcdef</c>) and one deleted one when i is a multiple of 10.
    /// Health cycles Healthy, Unhealthy, Unknown; sync cycles Synced, OutOfSync, Syncing, Unknown.
    /// </summary>
    public static async Task SeedAsync(CutoverDbContext db, int count)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var health = new[] { HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Unknown };
        var sync = new[] { SyncStatus.Synced, SyncStatus.OutOfSync, SyncStatus.Syncing, SyncStatus.Unknown };
        for (var i = 0; i < count; i++)
        {
            var agent = new Agent(Guid.CreateVersion7(), $"agent-{i:D5}", $"Agent number {i}", Start);
            agent.WriteHealth(health[i % health.Length]);
            agent.WriteSync(sync[i % sync.Length], null);
            agent.Seen(Start.AddMinutes(i));
            db.Agents.Add(agent);

            var live = 1 + i % 4;
            for (var n = 0; n < live; n++)
            {
                var meta = $$"""{"commitHash":"c{{i:D5}}{{n}}abcdef0123","branch":"main","authorName":"Dev {{i}}"}""";
                var d = new Deployment(Guid.CreateVersion7(), agent.Id, DockerImage.Parse($"registry.local/agent-{i}:{n + 1}"), meta, Start.AddSeconds(n));
                d.WriteStatus(DeploymentStatus.Ready, null, DateTime.UtcNow);
                if (n == 0)
                {
                    d.WriteProduction(true, Start, "seed");
                    agent.WriteProductionPointer(d.Id);
                }

                db.Deployments.Add(d);
            }

            if (i % 10 == 0)
            {
                var deleted = new Deployment(Guid.CreateVersion7(), agent.Id, DockerImage.Parse($"registry.local/agent-{i}:old"), "{}", Start.AddDays(-1));
                deleted.WriteDeleted(Start.AddDays(7));
                db.Deployments.Add(deleted);
            }
        }

        await db.SaveChangesAsync();
    }
}
