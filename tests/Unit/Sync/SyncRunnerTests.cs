using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Sync;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static Cutover.Tests.Unit.Health.HealthTestData;

namespace Cutover.Tests.Unit.Sync;

public sealed class SyncRunnerTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly SyncRunner _runner;

    public SyncRunnerTests() => _runner = _db.Sync;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RunAsync_OperationSucceeds_EndsSyncedAfterSyncing()
    {
        var agentId = await LegacyAgentAsync(_db, "ok");
        var seenDuring = SyncStatus.Unknown;
        var result = await _runner.RunAsync(agentId, "test", "deploy", TimeSpan.FromSeconds(5), async _ =>
        {
            seenDuring = (await AgentAsync(_db, agentId)).Sync;
            return null;
        });

        Assert.Equal(SyncStatus.Syncing, seenDuring);
        Assert.Equal(new SyncRunResult(SyncStatus.Synced, null), result.Value);
        Assert.Equal(SyncStatus.Synced, (await AgentAsync(_db, agentId)).Sync);
    }

    [Fact]
    public async Task RunAsync_DeliveryFails_EndsOutOfSyncWithTheErrorAndLeavesHealthAlone()
    {
        var (agentId, deploymentId) = await ProductionAgentAsync(_db, "undelivered");
        await Monitor(_db).ReportAsync(await LiveAsync(Monitor(_db), agentId), null, HealthStatus.Healthy, null, "agent:x", default);

        var result = await _runner.RunAsync(agentId, "test", "deploy", TimeSpan.FromSeconds(5),
            _ => throw new HttpRequestException("runtime unreachable"));

        Assert.Equal(SyncStatus.OutOfSync, result.Value!.Status);
        var agent = await AgentAsync(_db, agentId);
        Assert.Equal((SyncStatus.OutOfSync, "runtime unreachable"), (agent.Sync, agent.LastError));
        Assert.Equal(HealthStatus.Healthy, agent.Health);
        Assert.Equal(HealthStatus.Healthy, (await DeploymentAsync(_db, deploymentId)).Health);
    }

    [Fact]
    public async Task RunAsync_OperationReturnsFailure_EndsOutOfSyncWithItsDetail()
    {
        var agentId = await LegacyAgentAsync(_db, "refused");
        var result = await _runner.RunAsync(agentId, "test", null, TimeSpan.FromSeconds(5),
            _ => Task.FromResult<Failure?>(Failure.Conflict("image not found")));
        Assert.Equal(new SyncRunResult(SyncStatus.OutOfSync, "image not found"), result.Value);
    }

    [Fact]
    public async Task RunAsync_CallerCancelsMidOperation_StillEndsInATerminalState()
    {
        var agentId = await LegacyAgentAsync(_db, "cancelled");
        using var caller = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = _runner.RunAsync(agentId, "test", null, TimeSpan.FromMinutes(5), async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }, caller.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await caller.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncStatus.OutOfSync, result.Value!.Status);
        Assert.Equal(SyncStatus.OutOfSync, (await AgentAsync(_db, agentId)).Sync);
    }

    [Fact]
    public async Task RunAsync_OperationIgnoresItsTokenPastTheTimeout_IsAbandonedAndEndsOutOfSync()
    {
        var agentId = await LegacyAgentAsync(_db, "stuck");
        var never = new TaskCompletionSource<Failure?>();

        var result = await _runner.RunAsync(agentId, "test", null, TimeSpan.FromMilliseconds(200), _ => never.Task)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncStatus.OutOfSync, result.Value!.Status);
        Assert.StartsWith("Timed out", result.Value.Error);
        Assert.Equal(SyncStatus.OutOfSync, (await AgentAsync(_db, agentId)).Sync);
    }

    [Fact]
    public async Task RunAsync_SecondRunWhileOneRuns_JoinsTheRoundAndTheAgentEndsSyncedOnceBothEnd()
    {
        var agentId = await LegacyAgentAsync(_db, "busy");
        using var sub = _db.Bus.Subscribe(agentId);
        var release = new TaskCompletionSource<Failure?>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _runner.RunAsync(agentId, "test", null, TimeSpan.FromSeconds(30), _ =>
        {
            entered.SetResult();
            return release.Task;
        });
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var second = await _runner.RunAsync(agentId, "test", null, TimeSpan.FromSeconds(30), _ => Task.FromResult<Failure?>(null));
        var whileFirstRuns = (await AgentAsync(_db, agentId)).Sync;
        release.SetResult(null);
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncStatus.Synced, second.Value!.Status);
        Assert.Equal(SyncStatus.Syncing, whileFirstRuns);
        Assert.Equal(SyncStatus.Synced, firstResult.Value!.Status);
        var syncChanges = new List<string?>();
        while (sub.Changes.TryRead(out var change)) syncChanges.Add(change.To);
        Assert.Equal([nameof(SyncStatus.Syncing), nameof(SyncStatus.Synced)], syncChanges);
    }
}
