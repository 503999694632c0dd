using Cutover.Core.Sources;

namespace Cutover.Dashboard.Sources;

/// <summary>Before traffic: a source sync left Syncing by a crash is Failed, "interrupted by a restart".</summary>
internal sealed class SourceRecoveryService(SourceSyncService syncs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => syncs.RecoverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
