using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Routing;

/// <summary>
/// Sets up agents, deployments and tokens through the app's own Core services (the agents and deployments HTTP
/// API is written elsewhere; these are the same calls it makes).
/// </summary>
public sealed class RoutingData(IServiceProvider services)
{
    public const string Image = "registry.example/agent:1";

    public DeploymentService Deployments => services.GetRequiredService<DeploymentService>();

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Registers a Ready deployment at <paramref name="url"/>; an agent's first one becomes production.</summary>
    public async Task<(Guid AgentId, Guid DeploymentId)> RegisterAsync(string name, Uri url, Guid? deploymentId = null)
    {
        var id = deploymentId ?? Guid.CreateVersion7();
        var outcome = await Deployments.RegisterAsync(
            new RegisterCommand(name, null, url.ToString(), id, Image, null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return (outcome.Value!.Agent.Id, id);
    }

    /// <summary>Registers an agent the legacy way: its own URL, no deployment.</summary>
    public async Task<Guid> RegisterLegacyAsync(string name, Uri url)
    {
        var outcome = await Deployments.RegisterAsync(new RegisterCommand(name, null, url.ToString(), null, null, null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return outcome.Value!.Agent.Id;
    }

    /// <summary>An agent with nothing to route to: no deployment, no legacy URL.</summary>
    public async Task<Guid> BareAgentAsync(string name) =>
        (await services.GetRequiredService<StatusChokepoint>().EnsureAgentAsync(name, null, "test", CancellationToken.None)).Id;

    public async Task PromoteAsync(Guid agentId, Guid deploymentId)
    {
        var outcome = await Deployments.PromoteAsync(agentId, deploymentId, "test", "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
    }

    /// <summary>Creates a token and returns its text.</summary>
    public async Task<string> CreateTokenAsync(Role? role, string? agentName = null)
    {
        var kind = agentName is null ? TokenKind.Personal : TokenKind.Agent;
        var text = TokenSecrets.NewToken(kind);
        var factory = services.GetRequiredService<IDbContextFactory<CutoverDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken(Guid.CreateVersion7(), $"test-{Guid.NewGuid():N}", kind, role, agentName,
            TokenSecrets.Prefix(text), TokenSecrets.Hash(text), DateTime.UtcNow, null, "test"));
        await db.SaveChangesAsync();
        return text;
    }
}
