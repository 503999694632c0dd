using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Health;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cutover.Tests.Unit.Health;

/// <summary>Agents created the way the app creates them (DeploymentService), and a monitor wired to a test database.</summary>
internal static class HealthTestData
{
    public static HealthMonitor Monitor(TestDatabase db, HealthOptions? options = null) =>
        new(db.Chokepoint, db.Factory, db.Gate, db.Bus, db.Time, Options.Create(options ?? new HealthOptions()),
            NullLogger<HealthMonitor>.Instance);

    /// <summary>An agent whose first deployment-scoped registration made that deployment production.</summary>
    public static async Task<(Guid AgentId, Guid DeploymentId)> ProductionAgentAsync(TestDatabase db, string name, string url = "http://127.0.0.1:9/")
    {
        var deploymentId = Guid.CreateVersion7();
        var outcome = await db.Deployments.RegisterAsync(
            new RegisterCommand(name, null, url, deploymentId, "example/agent:1", null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        Assert.Equal(deploymentId, outcome.Value!.Agent.ProductionDeploymentId);
        return (outcome.Value.Agent.Id, deploymentId);
    }

    /// <summary>An agent registered with a legacy URL only (no deployment).</summary>
    public static async Task<Guid> LegacyAgentAsync(TestDatabase db, string name, string url = "http://127.0.0.1:9/")
    {
        var outcome = await db.Deployments.RegisterAsync(new RegisterCommand(name, null, url, null, null, null), "test", CancellationToken.None);
        Assert.True(outcome.IsSuccess, outcome.Failure?.Detail);
        return outcome.Value!.Agent.Id;
    }

    public static async Task<AgentLiveState> LiveAsync(HealthMonitor monitor, Guid agentId) =>
        await monitor.FindAgentAsync(agentId, CancellationToken.None) ?? throw new InvalidOperationException("no agent");

    public static async Task<List<TimelineEvent>> HealthEventsAsync(TestDatabase db, Guid agentId)
    {
        await using var ctx = db.Open();
        return await ctx.Events.AsNoTracking()
            .Where(e => e.AgentId == agentId && e.Kind == EventKind.HealthChanged)
            .OrderBy(e => e.Sequence)
            .ToListAsync();
    }

    public static async Task<Agent> AgentAsync(TestDatabase db, Guid agentId)
    {
        await using var ctx = db.Open();
        return await ctx.Agents.AsNoTracking().SingleAsync(a => a.Id == agentId);
    }

    public static async Task<Deployment> DeploymentAsync(TestDatabase db, Guid deploymentId)
    {
        await using var ctx = db.Open();
        return await ctx.Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
    }

    /// <summary>Everything published so far on a subscription, without waiting.</summary>
    public static List<StatusChange> Drain(StatusSubscription subscription)
    {
        var list = new List<StatusChange>();
        while (subscription.Changes.TryRead(out var c)) list.Add(c);
        return list;
    }
}
