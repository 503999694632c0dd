using System.Data.Common;
using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Core;

/// <summary>
/// The SQLite group-commit path of the chokepoint: queued calls commit together, and a call that refuses or throws,
/// or a batch whose commit throws, still gives every call exactly its own outcome and publishes exactly what committed.
/// A "blocker" call holds the writer inside one batch while the calls under test queue up, so they form the next
/// batch together (UpdateStatusAsync queues before its first await).
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _db = new();
    private readonly CommitFault _fault = new();
    private readonly StatusChokepoint _chokepoint;

    public GroupCommitTests()
    {
        var options = new DbContextOptionsBuilder<CutoverDbContext>(TestDatabase.BuildOptions(_db.ConnectionString))
            .AddInterceptors(_fault)
            .Options;
        _chokepoint = new StatusChokepoint(new Factory(options), _db.Bus, _db.Gate, _db.Time, NullLogger<StatusChokepoint>.Instance);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task UpdateStatusAsync_ConcurrentWritersOnSeveralAgents_BatchesAndPublishesEachChangeOnceInSequence()
    {
        var agents = new List<Guid>();
        for (var i = 0; i < 4; i++) agents.Add(await LegacyAgentAsync(_db, $"batched-{i}"));
        var start = agents.ToDictionary(a => a, a => _db.Bus.Current(a)!.Sequence);
        using var sub = _db.Bus.Subscribe();

        List<Task> writers;
        // Holding the gate keeps the writer from committing while every writer queues its first call.
        using (await _db.Gate.EnterAsync(CancellationToken.None))
        {
            writers = Enumerable.Range(0, 16).Select(w => WriterAsync(agents[w % agents.Count], 20)).ToList();
        }

        await Task.WhenAll(writers).WaitAsync(Timeout);

        var published = Drain(sub);
        Assert.Equal(16 * 20, published.Count);
        foreach (var agentId in agents)
        {
            var sequences = published.Where(c => c.AgentId == agentId).Select(c => c.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, 4 * 20).Select(i => start[agentId] + i), sequences);
            Assert.Equal((await HealthEventsAsync(_db, agentId)).Select(e => e.Sequence!.Value), sequences);
            Assert.Equal(start[agentId] + 80, (await AgentAsync(_db, agentId)).LastSequence);
            Assert.Equal(start[agentId] + 80, _db.Bus.Current(agentId)!.Sequence);
        }

        var counts = _chokepoint.WriteCounts;
        Assert.Equal(16 * 20, counts.Items);
        Assert.True(counts.Batches < counts.Items, $"{counts.Batches} batches for {counts.Items} calls: nothing was batched");
        Assert.Equal(0, counts.Replayed);
    }

    [Fact]
    public async Task UpdateStatusAsync_ChangeInBatchReturnsFailure_OthersCommitAndPublishOnceAndItPublishesNothing()
    {
        var (a, b) = (await LegacyAgentAsync(_db, "kept"), await LegacyAgentAsync(_db, "refused"));
        var before = await AgentAsync(_db, b);
        using var sub = _db.Bus.Subscribe();

        var (first, refused, second) = await InOneBatchAsync(
            () => SetHealthAsync(a, HealthStatus.Healthy),
            () => _chokepoint.UpdateStatusAsync<bool>(b, "test", null, (t, _) =>
            {
                t.SetAgentHealth(HealthStatus.Healthy);
                return Task.FromResult<Outcome<bool>>(Failure.Conflict("changed my mind"));
            }),
            () => SetHealthAsync(a, HealthStatus.Unhealthy));

        Assert.True((await first).IsSuccess);
        Assert.Equal("changed my mind", (await refused).Failure?.Detail);
        Assert.True((await second).IsSuccess);
        AssertCommittedOnceInOrder(Drain(sub), a, b);
        Assert.Equal((before.Health, before.LastSequence), ((await AgentAsync(_db, b)).Health, (await AgentAsync(_db, b)).LastSequence));
        Assert.Equal(1, _chokepoint.WriteCounts.Replayed);
    }

    [Fact]
    public async Task UpdateStatusAsync_AfterABatchRefusedAndReplayed_NextBatchDecidesFromTheStoredRow()
    {
        var (a, b) = (await LegacyAgentAsync(_db, "kept-2"), await LegacyAgentAsync(_db, "wavering"));
        Assert.True((await SetHealthAsync(b, HealthStatus.Unhealthy)).IsSuccess); // the writer now keeps b between batches
        var stored = await AgentAsync(_db, b);

        var (_, refused, _) = await InOneBatchAsync(
            () => SetHealthAsync(a, HealthStatus.Healthy),
            () => _chokepoint.UpdateStatusAsync<bool>(b, "test", null, (t, _) =>
            {
                t.SetAgentHealth(HealthStatus.Healthy); // changes the kept agent in memory, then refuses
                return Task.FromResult<Outcome<bool>>(Failure.Conflict("changed my mind"));
            }),
            () => SetHealthAsync(a, HealthStatus.Unhealthy));
        Assert.False((await refused).IsSuccess);

        using var sub = _db.Bus.Subscribe(b);
        var replayed = _chokepoint.WriteCounts.Replayed;
        Assert.True((await SetHealthAsync(b, HealthStatus.Unknown)).IsSuccess);
        var change = Assert.Single(Drain(sub));
        Assert.Equal((HealthStatus.Unhealthy.ToString(), stored.LastSequence + 1), (change.From, change.Sequence));
        Assert.Equal(replayed, _chokepoint.WriteCounts.Replayed); // decided right in its batch, not rescued by a replay
    }

    [Fact]
    public async Task UpdateStatusAsync_AgentKeptFromAnEarlierBatch_LastSeenStampWrittenMeanwhileSurvives()
    {
        var agentId = await LegacyAgentAsync(_db, "stamped");
        Assert.True((await SetHealthAsync(agentId, HealthStatus.Healthy)).IsSuccess);
        var stamp = _db.Time.GetUtcNow().UtcDateTime.AddMinutes(5);
        await using (var ctx = _db.Open())
        {
            Assert.Equal(1, await HealthStamps.StampAgentAsync(ctx, agentId, null, stamp, CancellationToken.None));
        }

        Assert.True((await SetHealthAsync(agentId, HealthStatus.Unhealthy)).IsSuccess);
        var agent = await AgentAsync(_db, agentId);
        Assert.Equal((HealthStatus.Unhealthy, stamp), (agent.Health, agent.LastSeenAt));
        Assert.Equal(0, _chokepoint.WriteCounts.Replayed);
    }

    [Fact]
    public async Task UpdateStatusAsync_ChangeInBatchThrows_OnlyItsCallerSeesTheExceptionAndOthersCommitOnce()
    {
        var (a, b) = (await LegacyAgentAsync(_db, "steady"), await LegacyAgentAsync(_db, "thrower"));
        using var sub = _db.Bus.Subscribe();

        var (first, thrown, second) = await InOneBatchAsync(
            () => SetHealthAsync(a, HealthStatus.Healthy),
            () => _chokepoint.UpdateStatusAsync<bool>(b, "test", null, (t, _) =>
            {
                t.SetAgentHealth(HealthStatus.Healthy);
                t.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse("example/a:1"), "{}");
                throw new InvalidOperationException("bug in the change");
            }),
            () => SetHealthAsync(a, HealthStatus.Unhealthy));

        Assert.True((await first).IsSuccess);
        Assert.Equal("bug in the change", (await Assert.ThrowsAsync<InvalidOperationException>(() => thrown)).Message);
        Assert.True((await second).IsSuccess);
        AssertCommittedOnceInOrder(Drain(sub), a, b);
        await using var ctx = _db.Open();
        Assert.False(await ctx.Deployments.AnyAsync(d => d.AgentId == b));
        Assert.Equal(HealthStatus.Unknown, (await AgentAsync(_db, b)).Health);
    }

    [Fact]
    public async Task UpdateStatusAsync_BatchCommitThrowsOnce_EveryCallCompletesOnItsOwnAndPublishesOnce()
    {
        var agents = new[] { await LegacyAgentAsync(_db, "commit-1"), await LegacyAgentAsync(_db, "commit-2") };
        var start = agents.ToDictionary(a => a, a => _db.Bus.Current(a)!.Sequence);
        using var sub = _db.Bus.Subscribe();

        List<Task> writers;
        using (await _db.Gate.EnterAsync(CancellationToken.None))
        {
            writers = Enumerable.Range(0, 6).Select(w => WriterAsync(agents[w % 2], 1)).ToList();
            _fault.FailNextCommits = 1;
        }

        await Task.WhenAll(writers).WaitAsync(Timeout);

        Assert.Equal(0, _fault.FailNextCommits);
        var published = Drain(sub);
        Assert.Equal(6, published.Count);
        foreach (var agentId in agents)
        {
            var sequences = published.Where(c => c.AgentId == agentId).Select(c => c.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, 3).Select(i => start[agentId] + i), sequences);
            Assert.Equal((await HealthEventsAsync(_db, agentId)).Select(e => e.Sequence!.Value), sequences);
        }

        Assert.True(_chokepoint.WriteCounts.Replayed >= 1, "the failed commit must have been replayed one call at a time");
    }

    [Fact]
    public async Task UpdateStatusAsync_SecondChangeOfAnAgentInOneBatch_ReadsWhatTheFirstWrote()
    {
        var agentId = await LegacyAgentAsync(_db, "reader");
        var deploymentId = Guid.CreateVersion7();
        using var sub = _db.Bus.Subscribe(agentId);

        var (created, found, ready) = await InOneBatchAsync(
            () => _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
            {
                t.CreateDeployment(deploymentId, DockerImage.Parse("example/a:1"), "{}");
                return Task.FromResult<Outcome<bool>>(true);
            }),
            () => _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
                await t.FindDeploymentAsync(deploymentId, ct) is not null ? true : Failure.NotFound("not visible")),
            () => _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
            {
                var d = await t.FindDeploymentAsync(deploymentId, ct);
                return d is null ? Failure.NotFound("not visible") : t.SetDeploymentStatus(d, DeploymentStatus.Ready) is { } f ? f : true;
            }));

        Assert.True((await created).IsSuccess);
        Assert.True((await found).IsSuccess, (await found).Failure?.Detail);
        Assert.True((await ready).IsSuccess, (await ready).Failure?.Detail);
        Assert.Equal(0, _chokepoint.WriteCounts.Replayed);
        var sequences = Drain(sub).Select(c => c.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
        Assert.Equal(sequences[^1], _db.Bus.Current(agentId)!.Sequence);
    }

    /// <summary>Starts the three calls while a blocker holds the writer, so they are queued together and form one batch.</summary>
    private async Task<(Task<Outcome<T1>>, Task<Outcome<T2>>, Task<Outcome<T3>>)> InOneBatchAsync<T1, T2, T3>(
        Func<Task<Outcome<T1>>> first, Func<Task<Outcome<T2>>> second, Func<Task<Outcome<T3>>> third)
    {
        var blockerAgent = await LegacyAgentAsync(_db, "blocker");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _chokepoint.UpdateStatusAsync<bool>(blockerAgent, "test", "blocker", async (t, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            return true;
        });
        await entered.Task.WaitAsync(Timeout);
        var before = _chokepoint.WriteCounts;

        var calls = (first(), second(), third());
        release.SetResult();
        Assert.True((await blocker.WaitAsync(Timeout)).IsSuccess);
        await Task.WhenAll(calls.Item1, calls.Item2, calls.Item3).ContinueWith(_ => { }).WaitAsync(Timeout);

        var after = _chokepoint.WriteCounts;
        Assert.Equal((1, 3), (after.Batches - before.Batches, after.Items - before.Items));
        return calls;
    }

    private static void AssertCommittedOnceInOrder(List<StatusChange> published, Guid kept, Guid refused)
    {
        Assert.DoesNotContain(published, c => c.AgentId == refused);
        var mine = published.Where(c => c.AgentId == kept).ToList();
        Assert.Equal([HealthStatus.Healthy.ToString(), HealthStatus.Unhealthy.ToString()], mine.Select(c => c.To));
        Assert.Equal(mine[0].Sequence + 1, mine[1].Sequence);
    }

    private async Task WriterAsync(Guid agentId, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            var outcome = await _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
            {
                t.SetAgentHealth(t.Agent.Health == HealthStatus.Healthy ? HealthStatus.Unhealthy : HealthStatus.Healthy);
                return Task.FromResult<Outcome<bool>>(true);
            });
            Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        }
    }

    private Task<Outcome<bool>> SetHealthAsync(Guid agentId, HealthStatus to) =>
        _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(to);
            return Task.FromResult<Outcome<bool>>(true);
        });

    /// <summary>Throws on the next <see cref="FailNextCommits"/> COMMITs: the batch reached the database and is undone.</summary>
    private sealed class CommitFault : DbTransactionInterceptor
    {
        public int FailNextCommits;

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
            Interlocked.Decrement(ref FailNextCommits) >= 0 ? throw new InvalidOperationException("simulated commit failure") : Reset(result);

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TransactionCommitting(transaction, eventData, result));

        private InterceptionResult Reset(InterceptionResult result)
        {
            Interlocked.Exchange(ref FailNextCommits, 0);
            return result;
        }
    }

    private sealed class Factory(DbContextOptions<CutoverDbContext> options) : IDbContextFactory<CutoverDbContext>
    {
        public CutoverDbContext CreateDbContext() => new(options);
    }
}
