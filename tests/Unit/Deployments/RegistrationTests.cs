using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Deployments;

public sealed class RegistrationTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Register_FirstDeploymentScoped_BecomesReadyAndProduction()
    {
        var (agent, d) = await Seed.ReadyAsync(_db.Deployments, "first");
        await using var db = _db.Open();
        var row = await db.Deployments.SingleAsync(x => x.Id == d.Id);
        var a = await db.Agents.SingleAsync(x => x.Id == agent.Id);
        Assert.Equal(DeploymentStatus.Ready, row.Status);
        Assert.True(row.IsProduction);
        Assert.Equal(row.Id, a.ProductionDeploymentId);
        Assert.Null(a.AcpUrl); // deployment-scoped registration leaves the agent's own URL alone
    }

    [Fact]
    public async Task Register_SecondDeployment_IsReadyButNotProduction()
    {
        var (agent, first) = await Seed.ReadyAsync(_db.Deployments, "second");
        var (_, second) = await Seed.ReadyAsync(_db.Deployments, "second", "registry.local/agents/demo:2.0");
        await using var db = _db.Open();
        Assert.Equal(first.Id, (await db.Agents.SingleAsync(x => x.Id == agent.Id)).ProductionDeploymentId);
        Assert.False((await db.Deployments.SingleAsync(x => x.Id == second.Id)).IsProduction);
        Assert.Equal(DeploymentStatus.Ready, (await db.Deployments.SingleAsync(x => x.Id == second.Id)).Status);
    }

    [Fact]
    public async Task Register_Legacy_SetsAgentUrlAndCreatesNoDeployment()
    {
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("legacy", "old style", "http://127.0.0.1:9/a", null, null, null), "test", default);
        Assert.True(outcome.IsSuccess);
        Assert.Null(outcome.Value!.Deployment);
        await using var db = _db.Open();
        var a = await db.Agents.SingleAsync(x => x.Name == "legacy");
        Assert.Equal("http://127.0.0.1:9/a", a.AcpUrl);
        Assert.Equal("old style", a.Description);
        Assert.False(await db.Deployments.AnyAsync(x => x.AgentId == a.Id));
    }

    [Fact]
    public async Task Register_DeploymentScopedWithDescription_LeavesTheAgentsDescription()
    {
        await _db.Deployments.RegisterAsync(new RegisterCommand("desc", "the real description", "http://127.0.0.1:9/a", null, null, null), "test", default);
        var outcome = await _db.Deployments.RegisterAsync(
            new RegisterCommand("desc", "a pod's idea", "http://127.0.0.1:9/b", Guid.NewGuid(), "registry.local/desc:1", null), "test", default);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        await using var db = _db.Open();
        Assert.Equal("the real description", (await db.Agents.SingleAsync(x => x.Name == "desc")).Description);
    }

    [Fact]
    public async Task Register_PendingDeploymentWithCreationMetadata_MergesWhatThePodSends()
    {
        var (agent, _) = await Seed.ReadyAsync(_db.Deployments, "merge");
        var created = await _db.Deployments.CreateAsync(agent.Id, DockerImage.Parse("registry.local/merge:2"),
            """{"commitHash":"abc123","branch":"release","team":"search"}""", "test", default);
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("merge", null, "http://127.0.0.1:9/m", created.Value!.Id, null,
            $$"""{"deploymentId":"{{created.Value.Id}}","branch":"hotfix","podName":"merge-7f"}"""), "test", default);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);

        await using var db = _db.Open();
        using var json = System.Text.Json.JsonDocument.Parse((await db.Deployments.SingleAsync(x => x.Id == created.Value.Id)).MetadataJson);
        Assert.Equal("abc123", json.RootElement.GetProperty("commitHash").GetString());
        Assert.Equal("search", json.RootElement.GetProperty("team").GetString());
        Assert.Equal("hotfix", json.RootElement.GetProperty("branch").GetString());
        Assert.Equal("merge-7f", json.RootElement.GetProperty("podName").GetString());
    }

    [Fact]
    public async Task Register_DeploymentForAgentWithLegacyUrl_DoesNotTakeProduction()
    {
        await _db.Deployments.RegisterAsync(new RegisterCommand("mixed", null, "http://127.0.0.1:9/legacy", null, null, null), "test", default);
        var (agent, d) = await Seed.ReadyAsync(_db.Deployments, "mixed");
        await using var db = _db.Open();
        Assert.Null((await db.Agents.SingleAsync(x => x.Id == agent.Id)).ProductionDeploymentId);
        Assert.False((await db.Deployments.SingleAsync(x => x.Id == d.Id)).IsProduction);
    }

    [Fact]
    public async Task Register_Again_UpdatesDeploymentUrlAndKeepsOneRow()
    {
        var id = Guid.NewGuid();
        await Seed.ReadyAsync(_db.Deployments, "again", deploymentId: id);
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("again", null, "http://127.0.0.1:9/moved", id, null, null), "test", default);
        Assert.True(outcome.IsSuccess);
        await using var db = _db.Open();
        var row = await db.Deployments.SingleAsync(x => x.Id == id);
        Assert.Equal("http://127.0.0.1:9/moved", row.AcpUrl);
        Assert.Equal(1, await db.Deployments.CountAsync(x => x.AgentId == row.AgentId));
        Assert.Contains("commitHash", row.MetadataJson); // metadata not given the second time is kept
    }

    [Fact]
    public async Task Register_NewDeploymentWithoutImage_FallsBackToLastKnownImage()
    {
        await Seed.ReadyAsync(_db.Deployments, "fallback", "registry.local/agents/fallback:7");
        var id = Guid.NewGuid();
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("fallback", null, "http://127.0.0.1:9/x", id, null, null), "test", default);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("registry.local/agents/fallback:7", outcome.Value!.Deployment!.DockerImage.Value);
    }

    [Fact]
    public async Task Register_FirstDeploymentWithoutImage_InvalidNamingTheField()
    {
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("noimage", null, "http://127.0.0.1:9/x", Guid.NewGuid(), null, null), "test", default);
        Assert.Equal(FailureKind.Invalid, outcome.Failure!.Kind);
        Assert.Equal("registrationMetadata.dockerImage", outcome.Failure.Field);
        await using var db = _db.Open();
        Assert.False(await db.Deployments.AnyAsync()); // nothing half-written
    }

    [Fact]
    public async Task Register_DeploymentIdOfAnotherAgent_Conflict()
    {
        var (_, d) = await Seed.ReadyAsync(_db.Deployments, "owner");
        var outcome = await _db.Deployments.RegisterAsync(new RegisterCommand("thief", null, "http://127.0.0.1:9/x", d.Id, "registry.local/x:1", null), "test", default);
        Assert.Equal(FailureKind.Conflict, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task Register_ConcurrentFirstRegistrationsOfOneName_OneAgentOneProductionAllSucceed()
    {
        for (var round = 0; round < 5; round++)
        {
            var name = $"race-{round}";
            var tasks = Enumerable.Range(0, 32).Select(_ => Task.Run(() => _db.Deployments.RegisterAsync(
                new RegisterCommand(name, null, "http://127.0.0.1:9/pod", Guid.NewGuid(), "registry.local/pod:1", null), "pod", default))).ToList();
            var outcomes = await Task.WhenAll(tasks);

            Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Failure?.Detail));
            await using var db = _db.Open();
            var agents = await db.Agents.Where(a => a.Name == name).ToListAsync();
            var agent = Assert.Single(agents);
            var production = await db.Deployments.Where(d => d.AgentId == agent.Id && d.IsProduction).ToListAsync();
            Assert.Single(production);
            Assert.Equal(production[0].Id, agent.ProductionDeploymentId);
            Assert.Equal(32, await db.Deployments.CountAsync(d => d.AgentId == agent.Id));
        }
    }
}
