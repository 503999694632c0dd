using System.Reflection;
using System.Text.RegularExpressions;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Status;

public sealed class StatusChokepointTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(typeof(Agent), nameof(Agent.Health))]
    [InlineData(typeof(Agent), nameof(Agent.Sync))]
    [InlineData(typeof(Agent), nameof(Agent.ProductionDeploymentId))]
    [InlineData(typeof(Agent), nameof(Agent.LastSequence))]
    [InlineData(typeof(Deployment), nameof(Deployment.Status))]
    [InlineData(typeof(Deployment), nameof(Deployment.IsProduction))]
    [InlineData(typeof(Deployment), nameof(Deployment.Health))]
    [InlineData(typeof(Deployment), nameof(Deployment.ExpiresAt))]
    public void StatusProperty_HasNoPublicOrInternalSetter(Type type, string property)
    {
        var setter = type.GetProperty(property)!.GetSetMethod(nonPublic: true);
        Assert.NotNull(setter);
        Assert.True(setter!.IsPrivate, $"{type.Name}.{property} must only be settable privately.");
    }

    [Fact]
    public void StatusMutators_AreCalledOnlyByStatusTransaction()
    {
        // The entities' internal mutators are the only way to change a status field; only the chokepoint's
        // transaction may call them. A new caller anywhere in the source tree fails this test.
        var mutators = new[] { "WriteStatus", "WriteProduction", "WriteProductionPointer", "WriteHealth", "WriteSync", "WriteDeleted", "NextSequence",
            "WriteStep", "WriteCreated", "NextVersion" };
        var pattern = new Regex(@"\.(" + string.Join("|", mutators) + @")\(");
        // RunTransaction is the chokepoint's transaction for provisioning runs and their ledger.
        var allowed = new[] { "StatusTransaction.cs", "StatusChokepoint.cs", "RunTransaction.cs" };
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "src"), "*.razor", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !allowed.Contains(Path.GetFileName(f)))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => pattern.IsMatch(x.line) && !x.line.TrimStart().StartsWith("internal void", StringComparison.Ordinal)
                && !x.line.TrimStart().StartsWith("internal long", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(RepoRoot.Path, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Status written outside the chokepoint:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task UpdateStatus_IllegalTransition_ReturnsConflictWritesAndPublishesNothing()
    {
        var (agent, d) = await Seed.ReadyAsync(_db.Deployments, "rules");
        using var sub = _db.Bus.Subscribe(agent.Id);
        var before = await CountEventsAsync(agent.Id);

        var outcome = await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
        {
            var dep = await t.FindDeploymentAsync(d.Id, ct);
            return t.SetDeploymentStatus(dep!, DeploymentStatus.Pending) is { } f ? f : true;
        });

        Assert.Equal(FailureKind.Conflict, outcome.Failure!.Kind);
        Assert.Equal(before, await CountEventsAsync(agent.Id));
        Assert.False(sub.Changes.TryRead(out _));
        await using var db = _db.Open();
        Assert.Equal(DeploymentStatus.Ready, (await db.Deployments.SingleAsync(x => x.Id == d.Id)).Status);
    }

    [Fact]
    public async Task UpdateStatus_ConstraintBugInTheChange_SurfacesAfterOneRunAndPublishesNothing()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("constraint-bug", null, "test", default);
        using var sub = _db.Bus.Subscribe(agent.Id);
        var runs = 0;

        // A NOT NULL column left null is a bug in the change, not a concurrent writer: retrying cannot fix it.
        var thrown = await Assert.ThrowsAsync<DbUpdateException>(() => _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            runs++;
            t.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse("example/a:1"), null!);
            return Task.FromResult<Outcome<bool>>(true);
        }));

        Assert.IsType<SqliteException>(thrown.InnerException);
        Assert.Equal(1, runs);
        Assert.False(sub.Changes.TryRead(out _));
    }

    [Fact]
    public async Task UpdateStatus_UniqueKeyClash_RunsTheChangeAgainOnAFreshRead()
    {
        var (_, taken) = await Seed.ReadyAsync(_db.Deployments, "owner");
        var agent = await _db.Chokepoint.EnsureAgentAsync("clasher", null, "test", default);
        var runs = 0;

        // The id is taken, as when another node inserted it first: the next attempt reads again and decides again.
        var outcome = await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            if (++runs > 1) return Task.FromResult<Outcome<bool>>(Failure.Conflict("decided again"));
            t.CreateDeployment(taken.Id, DockerImage.Parse("example/a:1"), "{}");
            return Task.FromResult<Outcome<bool>>(true);
        });

        Assert.Equal((2, "decided again"), (runs, outcome.Failure?.Detail));
    }

    [Fact]
    public async Task EnsureAgentAsync_NewName_CreatesOneRowWithItsFirstEventAndPublishesIt()
    {
        using var sub = _db.Bus.Subscribe();
        var created = await _db.Chokepoint.EnsureAgentAsync("fresh", "desc", "alice", default);
        var again = await _db.Chokepoint.EnsureAgentAsync("fresh", null, "bob", default);

        Assert.Equal(created.Id, again.Id);
        var change = Assert.Single(ReadAll(sub));
        Assert.Equal((created.Id, StatusField.Agent, "fresh", 1L, "alice"), (change.AgentId, change.Field, change.To, change.Sequence, change.Actor));
        await using var db = _db.Open();
        var e = await db.Events.SingleAsync(x => x.AgentId == created.Id);
        Assert.Equal((EventKind.Registered, 1L), (e.Kind, e.Sequence!.Value));
    }

    private static List<StatusChange> ReadAll(StatusSubscription sub)
    {
        var all = new List<StatusChange>();
        while (sub.Changes.TryRead(out var c)) all.Add(c);
        return all;
    }

    [Fact]
    public async Task UpdateStatus_ChangeThrowsAfterWriting_RollsBackAndPublishesNothing()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "throws");
        using var sub = _db.Bus.Subscribe(agent.Id);
        var before = await CountEventsAsync(agent.Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, (t, _) =>
        {
            t.SetSync(SyncStatus.Syncing);
            throw new InvalidOperationException("boom after a change was staged");
        }));

        Assert.Equal(before, await CountEventsAsync(agent.Id));
        Assert.False(sub.Changes.TryRead(out _));
        await using var db = _db.Open();
        Assert.Equal(SyncStatus.Unknown, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).Sync);
    }

    [Fact]
    public async Task UpdateStatus_Commit_PublishesEachChangeOnceWithConsecutiveSequences()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "seq");
        var (_, second) = await Seed.ReadyAsync(_db.Deployments, "seq");
        using var sub = _db.Bus.Subscribe(agent.Id);

        var outcome = await _db.Deployments.PromoteAsync(agent.Id, second.Id, "better", "user:ada", CancellationToken.None);
        Assert.True(outcome.IsSuccess);

        var changes = new List<StatusChange>();
        while (sub.Changes.TryRead(out var c)) changes.Add(c);
        Assert.Contains(changes, c => c.Kind == EventKind.Demoted && c.DeploymentId == first.Id);
        Assert.Contains(changes, c => c.Kind == EventKind.Promoted && c.DeploymentId == second.Id && c.Reason == "better" && c.Actor == "user:ada");
        var seqs = changes.Select(c => c.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(i => (long)i), seqs);

        await using var db = _db.Open();
        var events = await db.Events.Where(e => e.AgentId == agent.Id && e.Sequence >= seqs[0]).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(seqs, events.Select(e => e.Sequence!.Value));
        Assert.Equal(seqs[^1], _db.Bus.Current(agent.Id)!.Sequence);
    }

    [Fact]
    public async Task Database_SecondProductionRowForAgent_RefusedByUniqueIndex()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "unique");
        var (_, other) = await Seed.ReadyAsync(_db.Deployments, "unique");
        await using var db = _db.Open();
        // Bypass every line of application code: the database itself must refuse a second production deployment.
        var ex = await Assert.ThrowsAsync<SqliteException>(() =>
            db.Database.ExecuteSqlInterpolatedAsync($"UPDATE Deployments SET IsProduction = 1 WHERE Id = {other.Id}"));
        Assert.Contains("UNIQUE", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await db.Deployments.CountAsync(d => d.AgentId == agent.Id && d.IsProduction));
    }

    [Fact]
    public async Task UpdateStatus_UnknownAgent_NotFound()
    {
        var outcome = await _db.Chokepoint.UpdateStatusAsync<bool>(Guid.NewGuid(), "test", null, (_, _) => Task.FromResult<Outcome<bool>>(true));
        Assert.Equal(FailureKind.NotFound, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task UpdateStatus_CallerCancelsAfterWriteBegins_WriteStillCompletes()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "cancel");
        using var cts = new CancellationTokenSource();
        var outcome = await _db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", null, async (t, ct) =>
        {
            await cts.CancelAsync(); // the caller gives up mid-operation
            Assert.False(ct.IsCancellationRequested); // the write's own token is not the caller's
            t.SetSync(SyncStatus.OutOfSync, "deploy timed out");
            return true;
        }, cts.Token);

        Assert.True(outcome.IsSuccess);
        await using var db = _db.Open();
        Assert.Equal(SyncStatus.OutOfSync, (await db.Agents.SingleAsync(a => a.Id == agent.Id)).Sync);
    }

    [Fact]
    public void Transitions_Table_RefusesSyncingToUnknownAndPendingFromReady()
    {
        Assert.False(Transitions.IsAllowed(SyncStatus.Syncing, SyncStatus.Unknown));
        Assert.True(Transitions.IsAllowed(SyncStatus.Syncing, SyncStatus.OutOfSync));
        Assert.False(Transitions.IsAllowed(DeploymentStatus.Ready, DeploymentStatus.Pending));
        Assert.True(Transitions.IsAllowed(DeploymentStatus.Pending, DeploymentStatus.Ready));
        Assert.False(Transitions.IsAllowed(HealthStatus.Healthy, HealthStatus.Healthy));
    }

    private async Task<int> CountEventsAsync(Guid agentId)
    {
        await using var db = _db.Open();
        return await db.Events.CountAsync(e => e.AgentId == agentId);
    }
}
