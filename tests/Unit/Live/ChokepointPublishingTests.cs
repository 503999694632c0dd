using System.Data.Common;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Live;

/// <summary>
/// Properties of the existing chokepoint that live subscribers rely on: a change is published exactly once, only
/// after its commit, never for a failed write, with consecutive per-agent sequence numbers; and a write that has
/// begun is not cut short by the caller's cancellation.
/// </summary>
public sealed class ChokepointPublishingTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly CommitSwitch _commit = new();
    private readonly StatusChokepoint _chokepoint;

    public ChokepointPublishingTests()
    {
        var options = new DbContextOptionsBuilder<CutoverDbContext>(TestDatabase.BuildOptions(_db.ConnectionString))
            .AddInterceptors(_commit)
            .Options;
        _chokepoint = new StatusChokepoint(new ContextFactory(options), _db.Bus, _db.Gate, _db.Time, NullLogger<StatusChokepoint>.Instance);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task UpdateStatusAsync_CommitFails_PublishesNothingAndStoresNothing()
    {
        var agentId = await LegacyAgentAsync(_db, "doomed");
        var before = await AgentAsync(_db, agentId);
        using var sub = _db.Bus.Subscribe();
        _commit.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => SetHealthAsync(agentId, HealthStatus.Healthy));

        Assert.Empty(Drain(sub));
        var after = await AgentAsync(_db, agentId);
        Assert.Equal((HealthStatus.Unknown, before.LastSequence), (after.Health, after.LastSequence));
        Assert.Empty(await HealthEventsAsync(_db, agentId));
        Assert.Equal(before.LastSequence, _db.Bus.Current(agentId)!.Sequence);

        // The failed attempt consumed no sequence number: the next committed change follows on without a gap.
        _commit.Fail = false;
        await SetHealthAsync(agentId, HealthStatus.Healthy);
        var change = Assert.Single(Drain(sub));
        Assert.Equal(before.LastSequence + 1, change.Sequence);
    }

    [Fact]
    public async Task UpdateStatusAsync_ChangeThrows_PublishesNothingAndRollsBack()
    {
        var agentId = await LegacyAgentAsync(_db, "thrower");
        using var sub = _db.Bus.Subscribe();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Healthy);
            t.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse("example/a:1"), "{}");
            throw new InvalidOperationException("bug in the change");
        }));

        Assert.Empty(Drain(sub));
        await using var ctx = _db.Open();
        Assert.False(await ctx.Deployments.AnyAsync(d => d.AgentId == agentId));
        Assert.Equal(HealthStatus.Unknown, (await AgentAsync(_db, agentId)).Health);
    }

    [Fact]
    public async Task UpdateStatusAsync_ChangeReturnsFailure_PublishesNothingAndRollsBack()
    {
        var agentId = await LegacyAgentAsync(_db, "refuser");
        using var sub = _db.Bus.Subscribe();

        var outcome = await _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(HealthStatus.Healthy);
            return Task.FromResult<Outcome<bool>>(Failure.Conflict("changed my mind"));
        });

        Assert.False(outcome.IsSuccess);
        Assert.Empty(Drain(sub));
        Assert.Equal(HealthStatus.Unknown, (await AgentAsync(_db, agentId)).Health);
    }

    [Fact]
    public async Task UpdateStatusAsync_CallerCancelsMidWrite_WriteStillCommitsAndPublishes()
    {
        var agentId = await LegacyAgentAsync(_db, "impatient");
        using var sub = _db.Bus.Subscribe(agentId);
        using var caller = new CancellationTokenSource();

        var outcome = await _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, async (t, ct) =>
        {
            if (t.SetSync(SyncStatus.Syncing) is { } f) return f;
            await caller.CancelAsync();
            // The token the chokepoint hands the change is not the caller's: the write goes on to its end.
            await t.Deployments.CountAsync(ct);
            return true;
        }, caller.Token);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(SyncStatus.Syncing, (await AgentAsync(_db, agentId)).Sync);
        Assert.Single(Drain(sub));
    }

    [Fact]
    public async Task UpdateStatusAsync_ConcurrentWriters_EachCommittedChangeIsPublishedOnceInSequenceOrder()
    {
        var agents = new[] { await LegacyAgentAsync(_db, "busy-1"), await LegacyAgentAsync(_db, "busy-2") };
        var start = agents.ToDictionary(a => a, a => _db.Bus.Current(a)!.Sequence);
        using var sub = _db.Bus.Subscribe();

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var to = (w + i) % 2 == 0 ? HealthStatus.Healthy : HealthStatus.Unhealthy;
                await _chokepoint.UpdateStatusAsync<bool>(agents[w % 2], $"writer-{w}", null, (t, _) =>
                {
                    t.SetAgentHealth(to);
                    return Task.FromResult<Outcome<bool>>(true);
                });
            }
        }));
        await Task.WhenAll(writers);

        var published = Drain(sub);
        foreach (var agentId in agents)
        {
            var sequences = published.Where(c => c.AgentId == agentId).Select(c => c.Sequence).ToList();
            var expected = Enumerable.Range(1, sequences.Count).Select(i => start[agentId] + i);
            Assert.Equal(expected, sequences);
            var stored = (await HealthEventsAsync(_db, agentId)).Select(e => e.Sequence!.Value);
            Assert.Equal(stored, sequences);
        }

        Assert.True(published.Count > 2, "alternating writers must have produced transitions");
    }

    private Task<Outcome<bool>> SetHealthAsync(Guid agentId, HealthStatus to) =>
        _chokepoint.UpdateStatusAsync<bool>(agentId, "test", null, (t, _) =>
        {
            t.SetAgentHealth(to);
            return Task.FromResult<Outcome<bool>>(true);
        });

    /// <summary>Throws on COMMIT while <see cref="Fail"/> is set: the write reached the database and is undone.</summary>
    private sealed class CommitSwitch : DbTransactionInterceptor
    {
        public volatile bool Fail;

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
            Fail ? throw new InvalidOperationException("simulated commit failure") : result;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) =>
            Fail ? throw new InvalidOperationException("simulated commit failure") : ValueTask.FromResult(result);
    }
}
