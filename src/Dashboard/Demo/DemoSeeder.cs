using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Demo;

/// <summary>
/// Demo mode: once the server listens, makes sure the demo agents exist and runs them through the real runtime
/// (real processes that register and report health). Idempotent: on later runs the agents already exist, and their
/// deployments are started again instead of being created anew.
/// </summary>
internal sealed partial class DemoSeeder(
    IOptions<DemoOptions> options,
    IHostApplicationLifetime lifetime,
    StatusChokepoint chokepoint,
    DeploymentLauncher deploys,
    DeploymentService deployments,
    IDbContextFactory<CutoverDbContext> dbFactory,
    StartupWork startup,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string Actor = "system:demo";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        if (!deploys.Runtime.IsEnabled)
        {
            LogNoRuntime(logger);
            return;
        }

        startup.Begin();
        try
        {
            // Agents need the control plane's URL, which exists only once the server listens.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            await Task.WhenAll(DemoCatalog.Agents.Select(a => SeedAsync(a, stoppingToken)));
            LogSeeded(logger, DemoCatalog.Agents.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            startup.End();
        }
    }

    private async Task SeedAsync(DemoAgent demo, CancellationToken ct)
    {
        var agent = await chokepoint.EnsureAgentAsync(demo.Name, demo.Description, Actor, ct);
        List<Deployment> existing;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            existing = await db.Deployments.AsNoTracking()
                .Where(d => d.AgentId == agent.Id && d.ExpiresAt == null)
                .OrderBy(d => d.CreatedAt)
                .ToListAsync(ct);
        }

        if (existing.Count > 0)
        {
            // A later run: bring back what ran before, whatever people have done with it since.
            await Task.WhenAll(existing.Where(d => deploys.Runs(d.DockerImage))
                .Select(d => deploys.RelaunchAsync(agent.Id, d.Id, Actor, ct)));
            return;
        }

        // The first image goes first and alone: its registration makes it production.
        var first = await DeployAsync(agent.Id, demo.Images[0], ct);
        if (first is not null) await SettledAsync(first.Value, ct);
        var rest = await Task.WhenAll(demo.Images.Skip(1).Select(async image => (image, id: await DeployAsync(agent.Id, image, ct))));

        if (demo.Promote is { } promote && rest.FirstOrDefault(r => r.image == promote).id is { } target
            && await SettledAsync(target, ct) is { Succeeded: true })
        {
            var promoted = await deployments.PromoteAsync(agent.Id, target, "Demo: promote the current release", Actor, ct);
            if (!promoted.IsSuccess) LogPromoteFailed(logger, demo.Name, promoted.Failure!.Detail);
        }
    }

    private async Task<Guid?> DeployAsync(Guid agentId, string image, CancellationToken ct)
    {
        var outcome = await deploys.DeployAsync(agentId, DockerImage.Parse(image), null, Actor, ct);
        if (outcome.IsSuccess) return outcome.Value!.Id;
        LogDeployFailed(logger, image, outcome.Failure!.Detail);
        return null;
    }

    private async Task<DeployVerdict?> SettledAsync(Guid deploymentId, CancellationToken ct) =>
        deploys.WaitForSettledAsync(deploymentId, ct) is { } wait ? await wait : null;

    [LoggerMessage(LogLevel.Warning, "Demo mode is on but no deployment runtime is enabled (Cutover:Runtime:Local:Enabled); no demo agents")]
    private static partial void LogNoRuntime(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Demo mode: {Count} demo agents are running")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Demo mode: deploying {Image} failed: {Reason}")]
    private static partial void LogDeployFailed(ILogger logger, string image, string reason);

    [LoggerMessage(LogLevel.Warning, "Demo mode: promoting on {Agent} failed: {Reason}")]
    private static partial void LogPromoteFailed(ILogger logger, string agent, string reason);
}
