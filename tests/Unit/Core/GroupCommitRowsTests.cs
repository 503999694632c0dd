using System.Text.RegularExpressions;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cutover.Tests.Unit.Core;

/// <summary>
/// The group-commit writer writes agents and events with its own prepared statements (StatusBatchSession) instead of
/// SaveChanges. Both paths must leave the same rows, byte for byte: the same script runs through the batched
/// chokepoint on one database and through the one-call-at-a-time EF Core path on another, and every row of every
/// status table is compared with its SQLite storage class.
/// </summary>
public sealed partial class GroupCommitRowsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Guid D1 = Guid.Parse("01a20000-0000-7000-8000-000000000001");
    private static readonly Guid D2 = Guid.Parse("01a20000-0000-7000-8000-000000000002");
    private static readonly Guid D3 = Guid.Parse("01a20000-0000-7000-8000-000000000003");

    private readonly ManualTimeProvider _clock = new();
    private readonly TestDatabase _batched;
    private readonly TestDatabase _alone;
    private readonly StatusChokepoint _aloneChokepoint;

    public GroupCommitRowsTests()
    {
        _batched = new TestDatabase(_clock);
        _alone = new TestDatabase(_clock);
        // OpenWriteGate is the PostgreSQL configuration: no group commit, every call is one EF Core SaveChanges.
        _aloneChokepoint = new StatusChokepoint(_alone.Factory, _alone.Bus, new OpenWriteGate(), _clock, NullLogger<StatusChokepoint>.Instance);
    }

    public void Dispose()
    {
        _batched.Dispose();
        _alone.Dispose();
    }

    [Fact]
    public async Task GroupCommit_ScriptOfEveryKindOfChange_LeavesTheRowsSaveChangesLeaves()
    {
        var batchedAgents = await AgentsAsync(_batched.Chokepoint);
        var aloneAgents = await AgentsAsync(_aloneChokepoint);
        var before = _batched.Chokepoint.WriteCounts;

        foreach (var step in Script())
        {
            await RunBatchedAsync(step, batchedAgents);
            foreach (var (agent, change) in step)
            {
                var outcome = await _aloneChokepoint.UpdateStatusAsync(aloneAgents[agent], "alice", "scripted", change);
                Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
            }

            _clock.Advance(TimeSpan.FromSeconds(1.5));
        }

        var after = _batched.Chokepoint.WriteCounts;
        Assert.True(after.Items - before.Items > after.Batches - before.Batches, "several changes must have shared a batch");
        Assert.Equal(before.Replayed, after.Replayed); // no batch fell back to SaveChanges
        foreach (var table in new[] { "Agents", "Deployments", "Events" })
        {
            var expected = Dump(_alone.ConnectionString, table);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Dump(_batched.ConnectionString, table));
        }
    }

    /// <summary>Steps of (agent, change); a step's changes are queued together, so the batched database commits them as a group.</summary>
    private static IEnumerable<List<(string Agent, Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> Change)>> Script()
    {
        yield return
        [
            ("a", Done(t => t.CreateDeployment(D1, DockerImage.Parse("example/a:1"), """{"commit":"abc"}""", "http://127.0.0.1:9001/"))),
            ("a", Done(t => t.CreateDeployment(D2, DockerImage.Parse("example/a:2"), "{}", "http://127.0.0.1:9002/"))),
            ("b", Done(t => t.CreateDeployment(D3, DockerImage.Parse("example/b:1"), "{}"))),
            ("c", Done(t => t.Registered(null, "http://127.0.0.1:9003/", "legacy agent"))),
        ];
        yield return
        [
            ("a", With(D1, (t, d) => t.SetDeploymentStatus(d, DeploymentStatus.Ready))),
            ("a", With(D2, (t, d) => t.SetDeploymentStatus(d, DeploymentStatus.Ready))),
            ("a", WithAsync(D1, (t, d, ct) => t.SetProductionAsync(d, EventKind.Promoted, ct))),
            ("b", With(D3, (t, d) => t.SetDeploymentStatus(d, DeploymentStatus.Failed, "image pull failed"))),
            ("c", Done(t => t.SetAgentHealth(HealthStatus.Healthy, "probe ok"))),
            ("c", Done(t => t.SetSync(SyncStatus.Syncing))),
        ];
        yield return
        [
            ("a", WithAsync(D2, (t, d, ct) => t.SetProductionAsync(d, EventKind.Promoted, ct))),
            ("a", With(D2, (t, d) => Applied(() => t.SetDeploymentHealth(d, HealthStatus.Healthy, "report")))),
            ("a", With(D1, (t, d) => t.SoftDelete(d, t.Now.AddDays(7)))),
            ("b", With(D3, (t, d) => Applied(() => t.UpdateMetadata(d, """{"branch":"main"}""")))),
            ("b", With(D3, (t, d) => Applied(() => t.Registered(d, "http://127.0.0.1:9004/", "b, now described")))),
            ("c", Done(t => t.SetSync(SyncStatus.OutOfSync, "could not deliver"))),
        ];
        yield return
        [
            ("a", With(D1, (t, d) => t.Purge(d))),
            ("a", async (t, ct) => await t.Events.CountAsync(ct) > 0 ? true : Failure.Conflict("no events visible")),
            ("c", Done(t => t.SetSync(SyncStatus.OutOfSync, "still failing"))),
            ("c", Done(t => t.SetAgentHealth(HealthStatus.Unknown))),
        ];
    }

    private static Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> Done(Action<StatusTransaction> change) => (t, _) =>
    {
        change(t);
        return Task.FromResult<Outcome<bool>>(true);
    };

    /// <summary>Runs a change that cannot refuse, as the no-failure result <see cref="With"/> expects.</summary>
    private static Failure? Applied(Action change)
    {
        change();
        return null;
    }

    private static Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> With(Guid deploymentId, Func<StatusTransaction, Deployment, Failure?> change) =>
        WithAsync(deploymentId, (t, d, _) => Task.FromResult(change(t, d)));

    /// <summary>Reads the deployment through the transaction (so a batched change reads what earlier ones of its batch wrote).</summary>
    private static Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> WithAsync(
        Guid deploymentId, Func<StatusTransaction, Deployment, CancellationToken, Task<Failure?>> change) => async (t, ct) =>
    {
        var d = await t.FindDeploymentAsync(deploymentId, ct);
        if (d is null) return Failure.NotFound($"Deployment {deploymentId} is not visible.");
        return await change(t, d, ct) is { } f ? f : true;
    };

    private static async Task<Dictionary<string, Guid>> AgentsAsync(StatusChokepoint chokepoint)
    {
        var agents = new Dictionary<string, Guid>();
        foreach (var name in new[] { "a", "b", "c" }) agents[name] = (await chokepoint.EnsureAgentAsync(name, null, "alice", default)).Id;
        return agents;
    }

    /// <summary>Queues a step's calls while the write gate is held, so the writer takes them as one batch (or a few).</summary>
    private async Task RunBatchedAsync(
        List<(string Agent, Func<StatusTransaction, CancellationToken, Task<Outcome<bool>>> Change)> step, Dictionary<string, Guid> agents)
    {
        List<Task<Outcome<bool>>> calls;
        using (await _batched.Gate.EnterAsync(CancellationToken.None))
        {
            calls = step.Select(s => _batched.Chokepoint.UpdateStatusAsync(agents[s.Agent], "alice", "scripted", s.Change)).ToList();
        }

        foreach (var outcome in await Task.WhenAll(calls).WaitAsync(Timeout)) Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
    }

    /// <summary>
    /// Every row as SQLite stores it: each column's storage class and literal (<c>typeof</c>, <c>quote</c>), in a
    /// stable order. GUIDs the two databases chose differently (agent and event ids) become numbered by first use.
    /// </summary>
    private static List<string> Dump(string connectionString, string table)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
            using var r = info.ExecuteReader();
            while (r.Read()) columns.Add(r.GetString(0));
        }

        var order = table switch
        {
            "Agents" => "t.\"Name\"",
            "Deployments" => "t.\"Id\"",
            _ => "(SELECT a.\"Name\" FROM \"Agents\" a WHERE a.\"Id\" = t.\"AgentId\"), t.\"Sequence\"",
        };
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"typeof(t.\"{c}\") || ':' || quote(t.\"{c}\")"))} FROM \"{table}\" t ORDER BY {order}";
        var rows = new List<string>();
        var renamed = new Dictionary<string, string>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var values = Enumerable.Range(0, columns.Count).Select(i => $"{columns[i]}={reader.GetString(i)}");
                rows.Add(string.Join(" | ", values));
            }
        }

        var fixedIds = new HashSet<string>(new[] { D1, D2, D3 }.Select(d => d.ToString().ToUpperInvariant()));
        return rows.Select(row => GuidText().Replace(row, m => fixedIds.Contains(m.Value)
            ? m.Value
            : renamed.TryGetValue(m.Value, out var n) ? n : renamed[m.Value] = $"guid#{renamed.Count}")).ToList();
    }

    [GeneratedRegex("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")]
    private static partial Regex GuidText();
}
