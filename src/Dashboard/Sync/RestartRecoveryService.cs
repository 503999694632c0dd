using Cutover.Core.Sync;

namespace Cutover.Dashboard.Sync;

/// <summary>
/// Runs <see cref="RestartRecovery"/> in StartAsync: hosted services start before the server takes requests, so no
/// one sees (or builds on) a "Syncing" left by a crash or a health observed before the restart.
/// </summary>
internal sealed class RestartRecoveryService(RestartRecovery recovery) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => recovery.RecoverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
