using System.Globalization;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// A fast bulk seed (seeding is not what is measured): the app's own migrations create the schema, then one
/// transaction inserts the agents and one production deployment each, as registration would leave them (ready,
/// promoted). Names are <c>bench-00000</c>…, so the overview's name order is the index order. Every twentieth agent
/// is out of sync. Health starts Unknown, as the app's restart recovery leaves any health observed before a start;
/// <see cref="ApplyHealthAsync"/> then writes it through the real chokepoint once the app runs: every tenth agent
/// (index 3 mod 10) Unhealthy, every tenth (7 mod 10) left Unknown, the rest Healthy.
/// </summary>
internal static class Seed
{
    public static string Name(int i) => $"bench-{i:D5}";

    public static string HealthOf(int i) => (i % 10) switch { 3 => "Unhealthy", 7 => "Unknown", _ => "Healthy" };

    public static int CountWithHealth(int agents, string health) => Enumerable.Range(0, agents).Count(i => HealthOf(i) == health);

    /// <summary>Writes the agents; returns their ids in name order.</summary>
    public static async Task<IReadOnlyList<Guid>> WriteAsync(string databasePath, int agents)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<CutoverDbContext>()
            .UseSqlite(connectionString, s => s.MigrationsAssembly(MigrationAssemblies.Sqlite)).Options;
        await using (var db = new CutoverDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        var agent = connection.CreateCommand();
        agent.Transaction = tx;
        agent.CommandText = """
            INSERT INTO Agents (Id, Name, Description, AcpUrl, Health, Sync, ProductionDeploymentId, LastSeenAt, LastError, CreatedAt, LastSequence)
            VALUES ($id, $name, $description, NULL, $health, $sync, $deployment, $seen, NULL, $created, 0)
            """;
        var deployment = connection.CreateCommand();
        deployment.Transaction = tx;
        deployment.CommandText = """
            INSERT INTO Deployments (Id, AcpUrl, AgentId, CreatedAt, DockerImage, ExpiresAt, Health, IsProduction, LastHealthAt,
                                     RegistrationMetadata, PromotedAt, PromotedBy, Status, StatusDetail)
            VALUES ($id, $url, $agent, $created, $image, NULL, $health, 1, $seen, $metadata, $created, 'benchmark', 'Ready', NULL)
            """;
        var now = DateTime.UtcNow;
        var random = new Random(13);
        var ids = new List<Guid>(agents);
        for (var i = 0; i < agents; i++)
        {
            var agentId = Guid.CreateVersion7();
            var deploymentId = Guid.CreateVersion7();
            ids.Add(agentId);
            var created = Stamp(now.AddHours(-1).AddMilliseconds(i));
            var seen = Stamp(now.AddSeconds(-(i % 300)));
            const string health = "Unknown";
            agent.Parameters.Clear();
            agent.Parameters.AddWithValue("$id", Text(agentId));
            agent.Parameters.AddWithValue("$name", Name(i));
            agent.Parameters.AddWithValue("$description", $"Benchmark agent {i} of {agents}");
            agent.Parameters.AddWithValue("$health", health);
            agent.Parameters.AddWithValue("$sync", i % 20 == 5 ? "OutOfSync" : "Synced");
            agent.Parameters.AddWithValue("$deployment", Text(deploymentId));
            agent.Parameters.AddWithValue("$seen", seen);
            agent.Parameters.AddWithValue("$created", created);
            await agent.ExecuteNonQueryAsync();

            var commit = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
            deployment.Parameters.Clear();
            deployment.Parameters.AddWithValue("$id", Text(deploymentId));
            deployment.Parameters.AddWithValue("$url", $"http://127.0.0.1:9/{i}");
            deployment.Parameters.AddWithValue("$agent", Text(agentId));
            deployment.Parameters.AddWithValue("$created", created);
            deployment.Parameters.AddWithValue("$image", $"registry.example/bench-agent:1.{i % 7}");
            deployment.Parameters.AddWithValue("$health", health);
            deployment.Parameters.AddWithValue("$seen", DBNull.Value);
            deployment.Parameters.AddWithValue("$metadata", $$"""{"commitHash":"{{commit}}","branch":"main"}""");
            await deployment.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return ids;
    }

    /// <summary>Health as <see cref="HealthOf"/> says, one chokepoint write per agent that is not Unknown.</summary>
    public static async Task ApplyHealthAsync(StatusChokepoint chokepoint, IReadOnlyList<Guid> ids)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            var health = Enum.Parse<HealthStatus>(HealthOf(i));
            if (health == HealthStatus.Unknown) continue;
            var outcome = await chokepoint.UpdateStatusAsync<bool>(ids[i], "benchmark", "seed", (t, _) =>
            {
                t.SetAgentHealth(health);
                return Task.FromResult<Outcome<bool>>(true);
            });
            if (!outcome.IsSuccess) throw new InvalidOperationException(outcome.Failure!.Detail);
        }
    }

    // As EF Core's SQLite provider stores them: GUIDs as upper-case text, DateTimes as ISO-like text.
    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
