using Cutover.Tests.Unit.Deployments;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>The one agent deletion: soft-deletes through the chokepoint, then stops the runtime's processes.</summary>
public sealed class AgentDeletionTests : IDisposable
{
    private static readonly DockerImage V1 = DockerImage.Parse("cutover/sample-agent:1.0");
    private static readonly DockerImage V2 = DockerImage.Parse("cutover/sample-agent:2.0");
    private readonly TestDatabase _db = new();
    private readonly FakeRuntime _runtime;
    private readonly DeploymentLauncher _deploys;
    private readonly AgentDeletion _deletion;

    public AgentDeletionTests()
    {
        _runtime = new FakeRuntime(_db.Deployments);
        _deploys = DeploymentLauncherTests.Create(_db, _runtime, TimeSpan.FromSeconds(30));
        _deletion = new AgentDeletion(_db.Chokepoint, _db.Factory, _runtime, Options.Create(new DeploymentOptions()));
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task DeleteAsync_RunningProductionAndPreview_ProcessesStoppedEverythingSoftDeletedInOneChange()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        var prod = await DeployReadyAsync(agent.Id, V1);
        var preview = await DeployReadyAsync(agent.Id, V2);
        Assert.Equal(RuntimeStatus.Running, _runtime.GetState(prod).Status);
        using var changes = _db.Bus.Subscribe(agent.Id);

        var outcome = await _deletion.DeleteAsync(agent.Id, null, "user:alice", default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(RuntimeStatus.Exited, _runtime.GetState(prod).Status);
        Assert.Equal(RuntimeStatus.Exited, _runtime.GetState(preview).Status);
        await using var db = _db.Open();
        var a = await db.Agents.SingleAsync(x => x.Id == agent.Id);
        Assert.True(a.IsDeleted);
        Assert.Null(a.ProductionDeploymentId);
        var deployments = await db.Deployments.Where(d => d.AgentId == agent.Id).ToListAsync();
        Assert.All(deployments, d => Assert.True(d.IsDeleted && !d.IsProduction));
        var events = await db.Events.Where(e => e.AgentId == agent.Id).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([EventKind.Demoted, EventKind.Deleted, EventKind.Deleted, EventKind.AgentDeleted],
            events.SkipWhile(e => e.Kind != EventKind.Demoted).Select(e => e.Kind).ToList());

        // Published after the commit, and consecutive: one change per event.
        var published = new List<StatusChange>();
        while (changes.Changes.TryRead(out var c)) published.Add(c);
        Assert.Contains(published, c => c.Field == StatusField.AgentDeleted);
    }

    [Fact]
    public async Task DeleteAsync_Twice_SecondChangesNothing()
    {
        var agent = await _db.Chokepoint.EnsureAgentAsync("bot", null, "test", default);
        await DeployReadyAsync(agent.Id, V1);
        await _deletion.DeleteAsync(agent.Id, null, "user:alice", default);
        long sequence;
        await using (var db = _db.Open()) sequence = (await db.Agents.SingleAsync(x => x.Id == agent.Id)).LastSequence;

        var again = await _deletion.DeleteAsync(agent.Id, null, "user:alice", default);

        Assert.True(again.IsSuccess);
        await using var after = _db.Open();
        Assert.Equal(sequence, (await after.Agents.SingleAsync(x => x.Id == agent.Id)).LastSequence);
    }

    [Fact]
    public async Task DeleteAsync_UnknownAgent_NotFound()
    {
        var outcome = await _deletion.DeleteAsync(Guid.NewGuid(), null, "user:alice", default);
        Assert.Equal(Cutover.Core.Results.FailureKind.NotFound, outcome.Failure!.Kind);
    }

    private async Task<Guid> DeployReadyAsync(Guid agentId, DockerImage image)
    {
        var outcome = await _deploys.DeployAsync(agentId, image, null, "test", default);
        var verdict = await _deploys.WaitForSettledAsync(outcome.Value!.Id, default)!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(verdict.Succeeded, verdict.Reason);
        return outcome.Value.Id;
    }
}
