using System.Net;
using Cutover.Core.Health;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Health;

public static class HealthExtensions
{
    /// <summary>
    /// Observed health: the monitor and its rules, the probe and liveness workers.
    /// </summary>
    public static WebApplicationBuilder AddCutoverHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>()
            .Bind(builder.Configuration.GetSection(HealthOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddSingleton<HealthMonitor>();
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
        builder.Services.AddHostedService<HealthProbeWorker>();
        builder.Services.AddHostedService<LivenessWorker>();
        return builder;
    }
}
