using System.Text.Json;
using Cutover.Core.Domain;
using Cutover.Core.Sources;
using Cutover.Core.Sync;
using Cutover.Tests.Unit.Runtime;
using Microsoft.EntityFrameworkCore;
using static Cutover.Tests.Unit.Sources.SourceSyncHarness;

namespace Cutover.Tests.Unit.Sources;

/// <summary>The one sync entry point on real git repositories: commit, sync, change, sync again, and every way it can fail.</summary>
public sealed class SourceSyncTests : IDisposable
{
    private readonly SourceSyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Sync_NewManifest_CreatesAgentsDeploysAndRecordsWhereFrom()
    {
        var sha = _h.Repo.Commit("cutover.yaml", Manifest(("bot-a", Image1, null), ("bot-b", Image2, null)), "Declare two bots");
        var source = await _h.CreateSourceAsync();

        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Succeeded, result.Status);
        Assert.Equal(sha, result.Commit);
        Assert.Equal([SourceAgentAction.Created, SourceAgentAction.Created], result.Agents.Select(a => a.Action));
        foreach (var (name, image) in new[] { ("bot-a", Image1), ("bot-b", Image2) })
        {
            var agent = await _h.AgentAsync(name);
            await _h.UntilSettledAsync(agent.Id);
            var d = Assert.Single(await _h.DeploymentsAsync(agent.Id));
            Assert.Equal(image, d.DockerImage.Value);
            Assert.Equal(DeploymentStatus.Ready, d.Status);
            Assert.Equal(SyncStatus.Synced, (await _h.AgentAsync(name)).Sync);
            using var meta = JsonDocument.Parse(d.MetadataJson);
            Assert.Equal(sha, meta.RootElement.GetProperty("commitHash").GetString());
            Assert.Equal(source.Name, meta.RootElement.GetProperty("source").GetString());
            Assert.Equal("cutover.yaml", meta.RootElement.GetProperty("path").GetString());
            Assert.Equal($"t-{name}", meta.RootElement.GetProperty("team").GetString());
            Assert.Equal(1, await _h.SyncingMarksAsync(agent.Id));
        }

        var row = await _h.SourceRowAsync(source.Id);
        Assert.Equal(SourceStatus.Succeeded, row.Status);
        Assert.Equal(sha, row.LastCommit);
        Assert.Equal("Declare two bots", row.LastCommitMessage);
        Assert.Equal("Ada Lovelace <ada@example.com>", row.LastCommitAuthor);
        Assert.NotNull(row.LastSyncedAt);
        Assert.Null(row.LastError);
        Assert.Equal(["bot-a", "bot-b"], (await _h.Sources.GetAsync(source.Id, default))!.Agents);
    }

    [Fact]
    public async Task Sync_ManifestChanged_DeploysTheNewImageOnce()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var agent = await _h.AgentAsync("bot");
        await _h.UntilSettledAsync(agent.Id);

        var second = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, null)), "Bump bot to 2.0");
        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(second, result.Commit);
        var entry = Assert.Single(result.Agents);
        Assert.Equal(SourceAgentAction.Deployed, entry.Action);
        await _h.UntilSettledAsync(agent.Id);
        var deployments = await _h.DeploymentsAsync(agent.Id);
        Assert.Equal([Image1, Image2], deployments.Select(d => d.DockerImage.Value));
        Assert.Equal(entry.DeploymentId, deployments[1].Id);
        Assert.Equal(2, await _h.SyncingMarksAsync(agent.Id)); // once per sync
    }

    [Fact]
    public async Task Sync_NothingChanged_NoOpMarksSyncedStampsAndClearsTheLastError()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var agent = await _h.AgentAsync("bot");
        await _h.UntilSettledAsync(agent.Id);
        await _h.Db.Chokepoint.UpdateStatusAsync<bool>(agent.Id, "test", "an old failure", (t, _) =>
            Task.FromResult<Cutover.Core.Results.Outcome<bool>>(t.SetSync(SyncStatus.OutOfSync, "the old error") is null), default);
        DateTime? stampedBefore;
        await using (var db = _h.Db.Open())
            stampedBefore = (await db.Set<SourceAgent>().AsNoTracking().SingleAsync(a => a.AgentName == "bot")).LastSyncedAt;

        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceAgentAction.NoOp, Assert.Single(result.Agents).Action);
        var after = await _h.AgentAsync("bot");
        Assert.Equal(SyncStatus.Synced, after.Sync);
        Assert.Null(after.LastError);
        Assert.Single(await _h.DeploymentsAsync(agent.Id));
        await using (var db = _h.Db.Open())
            Assert.True((await db.Set<SourceAgent>().AsNoTracking().SingleAsync(a => a.AgentName == "bot")).LastSyncedAt > stampedBefore);
        Assert.Equal(2, await _h.SyncingMarksAsync(agent.Id));

        // Already Synced without an error: a no-op writes nothing to the agent, only the source's stamp.
        var eventsBefore = await CountEventsAsync(agent.Id);
        var third = await _h.SyncAsync(source.Id);
        Assert.Equal(SourceAgentAction.NoOp, Assert.Single(third.Agents).Action);
        Assert.Equal(eventsBefore, await CountEventsAsync(agent.Id));
        Assert.Equal(SyncStatus.Synced, (await _h.AgentAsync("bot")).Sync);
    }

    [Fact]
    public async Task Sync_AgentDeclaredByAnotherSource_FailedForThatAgentOnly()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("shared", Image1, null)));
        var first = await _h.CreateSourceAsync();
        await _h.SyncAsync(first.Id);
        using var other = new TestRepo();
        other.Commit("cutover.yaml", Manifest(("shared", Image2, null), ("own", Image1, null)));
        var second = await _h.CreateSourceAsync(repoUrl: other.Path);

        var result = await _h.SyncAsync(second.Id);

        Assert.Equal(SourceStatus.Succeeded, result.Status);
        Assert.Contains(result.Agents, a => a is { Name: "shared", Action: SourceAgentAction.Failed, Detail: "Another source declares this agent." });
        Assert.Contains(result.Agents, a => a is { Name: "own", Action: SourceAgentAction.Created });
        var shared = await _h.AgentAsync("shared");
        Assert.Equal([Image1], (await _h.DeploymentsAsync(shared.Id)).Select(d => d.DockerImage.Value));
    }

    [Fact]
    public async Task Sync_InvalidManifest_FailsNamingEveryProblemAndTouchesNoAgent()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var agent = await _h.AgentAsync("bot");
        await _h.UntilSettledAsync(agent.Id);
        var eventsBefore = await CountEventsAsync(agent.Id);

        _h.Repo.Commit("cutover.yaml", """
            agents:
              - name: bot
                image: cutover/sample-agent:2.0
              - name: bot
                image: BAD IMAGE
                size: large
              - name: newcomer
                image: cutover/sample-agent:1.0
            """);
        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Failed, result.Status);
        Assert.Contains("declared twice", result.Error);
        Assert.Contains("'BAD IMAGE'", result.Error);
        Assert.Contains("unknown key 'agents[1].size'", result.Error);
        Assert.Empty(result.Agents);
        Assert.Equal(eventsBefore, await CountEventsAsync(agent.Id));
        Assert.Single(await _h.DeploymentsAsync(agent.Id));
        await using var db = _h.Db.Open();
        Assert.False(await db.Agents.AnyAsync(a => a.Name == "newcomer"));
        var row = await _h.SourceRowAsync(source.Id);
        Assert.Equal(SourceStatus.Failed, row.Status);
        Assert.Equal(result.Error, row.LastError);
    }

    [Fact]
    public async Task Sync_UnreachableRepository_FailedWithTheReasonNeverACrash()
    {
        var source = await _h.CreateSourceAsync(repoUrl: Path.Combine(_h.Db.Directory, "no-such-repo"));

        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Failed, result.Status);
        Assert.Null(result.Commit);
        Assert.StartsWith("Commit lookup failed: Could not fetch", result.Error);
        var row = await _h.SourceRowAsync(source.Id);
        Assert.Equal(SourceStatus.Failed, row.Status);
        Assert.Null(row.LastCommit);
        var run = Assert.Single(await _h.HistoryAsync(source.Id));
        Assert.Equal(SourceStatus.Failed, run.Status);
        Assert.Null(run.Commit);
        Assert.NotNull(run.EndedAt);
    }

    [Fact]
    public async Task Sync_UnreachableHttpRemote_FailedWithTheReason()
    {
        // A port nothing listens on: git's own connection error becomes the source's error.
        var source = await _h.CreateSourceAsync(repoUrl: "http://127.0.0.1:9/repo.git", accessToken: "a-token");

        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Failed, result.Status);
        Assert.Contains("Could not fetch http://127.0.0.1:9/repo.git", result.Error);
        Assert.DoesNotContain("a-token", result.Error);
    }

    [Fact]
    public async Task Sync_MissingBranchOrManifest_FailedBeforeAnyAgent()
    {
        _h.Repo.Commit("other.txt", "no manifest here");
        var source = await _h.CreateSourceAsync();

        var noManifest = await _h.SyncAsync(source.Id);
        Assert.Equal(SourceStatus.Failed, noManifest.Status);
        Assert.Contains("The manifest 'cutover.yaml' does not exist", noManifest.Error);

        _h.Repo.Git("branch", "-m", "main", "trunk");
        var noBranch = await _h.SyncAsync(source.Id);
        Assert.Equal(SourceStatus.Failed, noBranch.Status);
        Assert.Contains("no branch 'main'", noBranch.Error);
        await using var db = _h.Db.Open();
        Assert.Equal(0, await db.Agents.CountAsync());
    }

    [Fact]
    public async Task Sync_StaticCommitThatDoesNotExist_FailedAndSyncsNothing()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();

        var result = await _h.SyncAsync(source.Id, new StaticCommit(new string('a', 40)), SyncTrigger.Webhook);

        Assert.Equal(SourceStatus.Failed, result.Status);
        Assert.Contains($"Commit {new string('a', 40)} is not in", result.Error);
        Assert.Null(result.Commit);
        await using var db = _h.Db.Open();
        Assert.Equal(0, await db.Agents.CountAsync());
    }

    [Fact]
    public async Task Sync_StaticCommit_SyncsThatCommitNotTheHead()
    {
        var first = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, null)));
        var source = await _h.CreateSourceAsync();

        var result = await _h.SyncAsync(source.Id, new StaticCommit(first), SyncTrigger.Ci);

        Assert.Equal(first, result.Commit);
        var agent = await _h.AgentAsync("bot");
        Assert.Equal(Image1, Assert.Single(await _h.DeploymentsAsync(agent.Id)).DockerImage.Value);
    }

    [Fact]
    public async Task Sync_ForcePushedBranch_FollowsTheRewrittenHead()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);

        _h.Repo.DropLastCommit();
        var rewritten = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null), ("helper", Image1, null)), "Rewritten");
        var result = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Succeeded, result.Status);
        Assert.Equal(rewritten, result.Commit);
        Assert.Contains(result.Agents, a => a is { Name: "helper", Action: SourceAgentAction.Created });
    }

    [Fact]
    public async Task Sync_PushedAndForcePushedToABareRemote_FollowsWhatWasPushed()
    {
        var remote = _h.Repo.AddBareRemote();
        var pushed = _h.Repo.Commit("cutover.yaml", Manifest(("pushed", Image1, null)));
        var unpushed = _h.Repo.Commit("cutover.yaml", Manifest(("pushed", Image2, null)));
        _h.Repo.Git("push", "--quiet", "origin", "HEAD~1:refs/heads/main");
        var source = await _h.CreateSourceAsync(repoUrl: "file://" + remote);

        var first = await _h.SyncAsync(source.Id);
        Assert.Equal(pushed, first.Commit); // only what reached the remote counts
        _h.Repo.Push();
        Assert.Equal(unpushed, (await _h.SyncAsync(source.Id)).Commit);

        _h.Repo.DropLastCommit();
        var rewritten = _h.Repo.Commit("cutover.yaml", Manifest(("pushed", Image1, null), ("late", Image1, null)), "Rewritten history");
        _h.Repo.Push(force: true);
        var forced = await _h.SyncAsync(source.Id);

        Assert.Equal(SourceStatus.Succeeded, forced.Status);
        Assert.Equal(rewritten, forced.Commit);
        Assert.Contains(forced.Agents, a => a is { Name: "late", Action: SourceAgentAction.Created });
    }

    [Fact]
    public async Task Sync_GuardedAutoPromote_NotPromotedWithoutItsGuardAndSaysWhy()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("guarded", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var agent = await _h.AgentAsync("guarded");
        await _h.UntilSettledAsync(agent.Id);
        var production = (await _h.AgentAsync("guarded")).ProductionDeploymentId;

        _h.Repo.Commit("cutover.yaml", $"agents:\n  - name: guarded\n    image: {Image2}\n    promote: auto\n    guard: {{ window: \"00:05:00\" }}\n");
        var result = await _h.SyncAsync(source.Id);
        await _h.UntilSettledAsync(agent.Id);
        await _h.Syncs.DrainAsync(default).WaitAsync(Wait);

        var entry = Assert.Single(result.Agents);
        Assert.Equal(SourceAgentAction.Deployed, entry.Action);
        Assert.Contains("guarded promotion is not available", entry.Detail);
        Assert.Equal(production, (await _h.AgentAsync("guarded")).ProductionDeploymentId);
    }

    [Fact]
    public async Task Sync_AgentDroppedFromManifest_OutOfSyncNoLongerDeclaredAndLeftRunning()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null), ("gone", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var gone = await _h.AgentAsync("gone");
        await _h.UntilSettledAsync(gone.Id);

        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var result = await _h.SyncAsync(source.Id);

        Assert.Contains(result.Agents, a => a is { Name: "gone", Action: SourceAgentAction.Undeclared });
        var after = await _h.AgentAsync("gone");
        Assert.Equal(SyncStatus.OutOfSync, after.Sync);
        Assert.Contains("no longer declared", after.LastError);
        var d = Assert.Single(await _h.DeploymentsAsync(gone.Id));
        Assert.Equal(DeploymentStatus.Ready, d.Status);
        Assert.False(d.IsDeleted);
        Assert.Equal(["bot"], (await _h.Sources.GetAsync(source.Id, default))!.Agents);
    }

    [Fact]
    public async Task Sync_PromoteAuto_NewImagePromotedOnceReadyAndRecorded()
    {
        // The first Ready deployment of an agent becomes production on registration; the second needs a promote.
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, "auto"), ("manual-bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        await _h.SyncAsync(source.Id);
        var bot = await _h.AgentAsync("bot");
        var manual = await _h.AgentAsync("manual-bot");
        await _h.UntilSettledAsync(bot.Id);
        await _h.UntilSettledAsync(manual.Id);
        var manualProduction = (await _h.AgentAsync("manual-bot")).ProductionDeploymentId;
        Assert.NotNull(manualProduction);

        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, "auto"), ("manual-bot", Image2, null)));
        var result = await _h.SyncAsync(source.Id);
        await _h.Syncs.DrainAsync(default).WaitAsync(Wait);

        var newest = (await _h.DeploymentsAsync(bot.Id))[^1];
        Assert.Equal(Image2, newest.DockerImage.Value);
        Assert.Equal(newest.Id, (await _h.AgentAsync("bot")).ProductionDeploymentId);
        Assert.Equal(manualProduction, (await _h.AgentAsync("manual-bot")).ProductionDeploymentId);
        var run = (await _h.HistoryAsync(source.Id))[^1];
        Assert.Equal(result.SyncId, run.Id);
        Assert.Contains(run.Agents, a => a is { Name: "bot", Action: SourceAgentAction.Promoted } && a.DeploymentId == newest.Id);
        Assert.Contains(run.Agents, a => a is { Name: "manual-bot", Action: SourceAgentAction.Deployed });
    }

    [Fact]
    public async Task Sync_RuntimeCannotDeliver_AgentOutOfSyncNeverUnhealthy()
    {
        const string refused = "cutover/sample-agent:9.9-refused";
        _h.Runtime.ImageBehaviour[refused] = FakeRuntime.Behaviour.Refuse;
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", refused, null)));
        var source = await _h.CreateSourceAsync();

        var result = await _h.SyncAsync(source.Id);

        // The source's sync was dispatched; the agent's own status says its deploy did not finish.
        Assert.Equal(SourceStatus.Succeeded, result.Status);
        var entry = Assert.Single(result.Agents);
        Assert.Equal(SourceAgentAction.Failed, entry.Action);
        Assert.Contains("refused by the fake runtime", entry.Detail);
        var agent = await _h.AgentAsync("bot");
        Assert.Equal(SyncStatus.OutOfSync, agent.Sync);
        Assert.NotEqual(HealthStatus.Unhealthy, agent.Health);
        Assert.Equal(1, await _h.SyncingMarksAsync(agent.Id));
    }

    [Fact]
    public async Task ConcurrentTriggers_OneRunsTheRestCoalesceIntoOneNextSyncAtTheNewestCommit()
    {
        var c1 = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = await _h.Syncs.RequestAsync(source.Id, SyncTrigger.Poll, new GatedResolver(gate, entered), default);
        await entered.Task.WaitAsync(Wait);
        Assert.True(_h.Syncs.IsRunning(source.Id));
        var c2 = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, null)));
        var c3 = _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image2, null), ("late", Image1, null)));
        var waiting = await Task.WhenAll(
            _h.Syncs.RequestAsync(source.Id, SyncTrigger.Webhook, new StaticCommit(c1), default),
            _h.Syncs.RequestAsync(source.Id, SyncTrigger.Manual, new StaticCommit(c2), default));
        var newest = await _h.Syncs.RequestAsync(source.Id, SyncTrigger.Ci, new StaticCommit(c3), default);

        Assert.All(waiting, t => Assert.Equal(newest!.SyncId, t!.SyncId));
        Assert.NotEqual(running!.SyncId, newest!.SyncId);
        gate.SetResult();
        var first = await running.Completion.WaitAsync(Wait);
        var next = await newest.Completion.WaitAsync(Wait);

        Assert.Equal(c3, first.Commit); // the gated one read the head when let go
        Assert.Equal(c3, next.Commit);
        var history = await _h.HistoryAsync(source.Id);
        Assert.Equal([running.SyncId, newest.SyncId], history.Select(s => s.Id));
        Assert.Equal([SyncTrigger.Poll, SyncTrigger.Ci], history.Select(s => s.Trigger));
        Assert.False(_h.Syncs.IsRunning(source.Id));
    }

    [Fact]
    public async Task Sync_CallerCancelled_StillEndsAndNoAgentStaysSyncing()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        using var caller = new CancellationTokenSource();

        var ticket = await _h.Syncs.RequestAsync(source.Id, SyncTrigger.Manual, new BranchHead(), caller.Token);
        await caller.CancelAsync();
        var result = await ticket!.Completion.WaitAsync(Wait);

        Assert.Equal(SourceStatus.Succeeded, result.Status);
        var agent = await _h.AgentAsync("bot");
        await _h.UntilSettledAsync(agent.Id);
        Assert.Equal(SyncStatus.Synced, (await _h.AgentAsync("bot")).Sync);
    }

    [Fact]
    public async Task Recover_SyncLeftSyncingByACrash_FailedInterrupted()
    {
        _h.Repo.Commit("cutover.yaml", Manifest(("bot", Image1, null)));
        var source = await _h.CreateSourceAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = await _h.Syncs.RequestAsync(source.Id, SyncTrigger.Poll, new GatedResolver(gate, entered), default);
        await entered.Task.WaitAsync(Wait);
        Assert.Equal(SourceStatus.Syncing, (await _h.SourceRowAsync(source.Id)).Status);

        // The process that held the sync is gone; the restarted one resolves it before taking triggers.
        Assert.Equal(1, await _h.NewSyncService().RecoverAsync(default));

        var row = await _h.SourceRowAsync(source.Id);
        Assert.Equal(SourceStatus.Failed, row.Status);
        Assert.Equal(RestartRecovery.InterruptedError, row.LastError);
        var run = Assert.Single(await _h.HistoryAsync(source.Id));
        Assert.Equal(SourceStatus.Failed, run.Status);
        Assert.Equal(RestartRecovery.InterruptedError, run.Error);
        gate.SetResult();
        await stuck!.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task Request_UnknownSource_Null() =>
        Assert.Null(await _h.Syncs.RequestAsync(Guid.NewGuid(), SyncTrigger.Manual, new BranchHead(), default));

    private async Task<int> CountEventsAsync(Guid agentId)
    {
        await using var db = _h.Db.Open();
        return await db.Events.CountAsync(e => e.AgentId == agentId);
    }
}
