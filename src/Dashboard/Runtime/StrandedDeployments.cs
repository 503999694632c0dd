using Cutover.Core.Deployments;
using Cutover.Core.Runtime;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Once the server listens (relaunched agents register with it), resolves the deploys a previous process left in
/// flight; then, when <see cref="RuntimeOptions.RegistrationTimeout"/> is set, fails external Pending deployments
/// that waited too long. See <see cref="DeploymentLauncher.ResolveStrandedAsync"/>.
/// </summary>
internal sealed partial class StrandedDeployments(
    DeploymentLauncher deploys,
    IHostApplicationLifetime lifetime,
    IOptionsMonitor<RuntimeOptions> options,
    TimeProvider time,
    ILogger<StrandedDeployments> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSweepPeriod = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            var resolved = await deploys.ResolveStrandedAsync(startup: true, stoppingToken);
            if (resolved > 0) LogResolved(logger, resolved);
            while (!stoppingToken.IsCancellationRequested)
            {
                var limit = options.CurrentValue.RegistrationTimeout;
                var period = limit is { } l && l / 4 < MaxSweepPeriod ? l / 4 : MaxSweepPeriod;
                await Task.Delay(period > TimeSpan.Zero ? period : MaxSweepPeriod, time, stoppingToken);
                if (limit is not null) await deploys.ResolveStrandedAsync(startup: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Resolved {Count} deployments left in flight by a previous run")]
    private static partial void LogResolved(ILogger logger, int count);
}
