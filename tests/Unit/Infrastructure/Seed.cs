using Cutover.Core.Deployments;
using Cutover.Core.Domain;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>Creates agents and Ready deployments through the real registration path.</summary>
public static class Seed
{
    public static async Task<(Agent Agent, Deployment Deployment)> ReadyAsync(DeploymentService deployments, string agent,
        string image = "registry.local/agents/demo:1.0", Guid? deploymentId = null, string? commit = null)
    {
        var id = deploymentId ?? Guid.NewGuid();
        var meta = $$"""{"deploymentId":"{{id}}","dockerImage":"{{image}}","commitHash":"{{commit ?? "abc1234def"}}","branch":"main","authorName":"Ada"}""";
        var outcome = await deployments.RegisterAsync(
            new RegisterCommand(agent, null, $"http://127.0.0.1:9/{agent}/{id:N}", id, image, meta), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return (outcome.Value!.Agent, outcome.Value.Deployment!);
    }
}
