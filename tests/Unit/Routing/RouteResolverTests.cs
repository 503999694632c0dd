using Cutover.Core.Deployments;
using Cutover.Core.Results;
using Cutover.Dashboard.Routing;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Routing;

public sealed class RouteResolverTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly RouteResolver _resolver;

    public RouteResolverTests()
    {
        _resolver = new RouteResolver(_db.Factory, _db.Bus, new FixedOptions(new RoutingOptions()));
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ResolveProduction_NoChangeBetweenCalls_ServedFromCache()
    {
        var (agentId, deploymentId) = await RegisterAsync("cached", "http://127.0.0.1:9001/rpc");

        var first = await _resolver.ResolveProductionAsync(agentId, CancellationToken.None);
        var second = await _resolver.ResolveProductionAsync(agentId, CancellationToken.None);

        Assert.Equal(deploymentId, first.Value!.DeploymentId);
        Assert.Same(first.Value, second.Value);
    }

    [Fact]
    public async Task ResolveProduction_AfterPromoteReturns_SeesNewDeploymentImmediately()
    {
        var (agentId, _) = await RegisterAsync("promoted", "http://127.0.0.1:9001/rpc");
        var (_, next) = await RegisterAsync("promoted", "http://127.0.0.1:9002/rpc");
        _ = await _resolver.ResolveProductionAsync(agentId, CancellationToken.None);

        Assert.True((await _db.Deployments.PromoteAsync(agentId, next, null, "test", CancellationToken.None)).IsSuccess);
        var after = await _resolver.ResolveProductionAsync(agentId, CancellationToken.None);

        Assert.Equal(next, after.Value!.DeploymentId);
        Assert.Equal(9002, after.Value.Url.Port);
    }

    [Fact]
    public async Task ResolvePreview_DeletedAfterCached_Gone()
    {
        var (agentId, _) = await RegisterAsync("preview", "http://127.0.0.1:9001/rpc");
        var (_, preview) = await RegisterAsync("preview", "http://127.0.0.1:9002/rpc");
        Assert.True((await _resolver.ResolvePreviewAsync(agentId, preview, CancellationToken.None)).IsSuccess);

        Assert.True((await _db.Deployments.DeleteAsync(agentId, preview, null, "test", CancellationToken.None)).IsSuccess);
        var after = await _resolver.ResolvePreviewAsync(agentId, preview, CancellationToken.None);

        Assert.Equal(FailureKind.Gone, after.Failure?.Kind);
    }

    [Fact]
    public async Task ResolvePreview_AllZerosDeploymentId_NeverSharesTheProductionSlot()
    {
        // Registration now refuses the all-zeros id at the edge, but a row written before that must not collide.
        var (agentId, production) = await RegisterAsync("zeros", "http://127.0.0.1:9001/rpc");
        var zero = await _db.Deployments.RegisterAsync(
            new RegisterCommand("zeros", null, "http://127.0.0.1:9002/rpc", Guid.Empty, RoutingData.Image, null), "test", CancellationToken.None);
        Assert.True(zero.IsSuccess, zero.Failure?.Detail);

        var preview = await _resolver.ResolvePreviewAsync(agentId, Guid.Empty, CancellationToken.None);
        var prod = await _resolver.ResolveProductionAsync(agentId, CancellationToken.None);
        var previewAgain = await _resolver.ResolvePreviewAsync(agentId, Guid.Empty, CancellationToken.None);

        Assert.Equal(9002, preview.Value!.Url.Port);
        Assert.Equal(production, prod.Value!.DeploymentId);
        Assert.Equal(9001, prod.Value.Url.Port);
        Assert.Equal(Guid.Empty, previewAgain.Value!.DeploymentId);
    }

    [Fact]
    public async Task ResolveProductionByName_LegacyThenDeployment_FollowsTheAgent()
    {
        var agentId = (await _db.Deployments.RegisterAsync(
            new RegisterCommand("by-name", null, "http://127.0.0.1:9001/rpc", null, null, null), "test", CancellationToken.None)).Value!.Agent.Id;
        var legacy = await _resolver.ResolveProductionByNameAsync("by-name", CancellationToken.None);
        var (_, deploymentId) = await RegisterAsync("by-name", "http://127.0.0.1:9002/rpc");
        Assert.True((await _db.Deployments.PromoteAsync(agentId, deploymentId, null, "test", CancellationToken.None)).IsSuccess);

        var promoted = await _resolver.ResolveProductionByNameAsync("by-name", CancellationToken.None);

        Assert.Equal(RouteTarget.Legacy, legacy.Value!.ServedBy);
        Assert.Equal(deploymentId, promoted.Value!.DeploymentId);
    }

    private async Task<(Guid AgentId, Guid DeploymentId)> RegisterAsync(string name, string url)
    {
        var id = Guid.CreateVersion7();
        var outcome = await _db.Deployments.RegisterAsync(
            new RegisterCommand(name, null, url, id, RoutingData.Image, null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return (outcome.Value!.Agent.Id, id);
    }

    private sealed class FixedOptions(RoutingOptions value) : IOptionsMonitor<RoutingOptions>
    {
        public RoutingOptions CurrentValue => value;

        public RoutingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RoutingOptions, string?> listener) => null;
    }
}
