using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Health;

/// <summary>
/// Data in a running test app, created through its own services. Agent tokens are stored as the token endpoint will
/// store them (hash only) until POST /api/tokens exists.
/// </summary>
internal static class AppSeed
{
    public static async Task<(Guid AgentId, Guid DeploymentId)> ProductionAgentAsync(IServiceProvider services, string name,
        string url = "http://127.0.0.1:9/")
    {
        var deploymentId = Guid.CreateVersion7();
        var outcome = await services.GetRequiredService<DeploymentService>().RegisterAsync(
            new RegisterCommand(name, null, url, deploymentId, "example/agent:1", null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return (outcome.Value!.Agent.Id, deploymentId);
    }

    public static async Task<string> AgentTokenAsync(IServiceProvider services, string agentName) =>
        await TokenAsync(services, TokenKind.Agent, null, agentName);

    public static async Task<string> TokenAsync(IServiceProvider services, TokenKind kind, Role? role, string? agentName)
    {
        var text = TokenSecrets.NewToken(kind);
        var factory = services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken(Guid.CreateVersion7(), $"test-{Guid.NewGuid():N}", kind, role, agentName,
            TokenSecrets.Prefix(text), TokenSecrets.Hash(text), DateTime.UtcNow, null, "test"));
        await db.SaveChangesAsync();
        return text;
    }

    public static async Task<Agent> AgentAsync(IServiceProvider services, Guid agentId)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Agents.AsNoTracking().SingleAsync(a => a.Id == agentId);
    }
}
