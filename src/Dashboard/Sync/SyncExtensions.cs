using Cutover.Core.Sync;

namespace Cutover.Dashboard.Sync;

public static class SyncExtensions
{
    /// <summary>
    /// Sync: the one SyncRunner every deploy goes through, and the start-up recovery that runs before the health
    /// workers and before traffic (hosted services start in the order they are added).
    /// </summary>
    public static WebApplicationBuilder AddCutoverSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SyncRunner>();
        builder.Services.AddSingleton<RestartRecovery>();
        builder.Services.AddHostedService<RestartRecoveryService>();
        return builder;
    }
}
