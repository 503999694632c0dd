using System.Net;
using Cutover.Core.Health;
using Cutover.Core.Sync;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

public static class HealthExtensions
{
    /// <summary>
    /// Observed health and sync: the monitor and its rules, the restart recovery (before traffic), the probe and
    /// liveness workers, and the SyncRunner the runtime's deploys use.
    /// </summary>
    public static WebApplicationBuilder AddCutoverHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>()
            .Bind(builder.Configuration.GetSection(HealthOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddSingleton<HealthMonitor>();
        builder.Services.AddSingleton<SyncRunner>();
        builder.Services.AddSingleton<RestartRecovery>();
        builder.Services.AddSingleton<HealthProber>();
        builder.Services.AddHttpClient(HealthProber.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Redirects are followed by HealthProber itself, and only on the same origin.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            // The client is held for the app's life (one shared client), so the factory's handler rotation does not apply.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // Every probe would log four lines, and a refused connection a stack trace: the outcome is what matters,
            // and HealthMonitor records and logs it.
            .RemoveAllLoggers();
        builder.Services.AddHostedService<RestartRecoveryService>();
        builder.Services.AddHostedService<HealthProbeWorker>();
        builder.Services.AddHostedService<LivenessWorker>();
        return builder;
    }
}
