using Cutover.Core.Guards;

namespace Cutover.Dashboard.Guards;

public static class GuardExtensions
{
    /// <summary>Guarded promotion: the guard service, each node's traffic reports, and the worker that judges.</summary>
    public static WebApplicationBuilder AddCutoverGuards(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<GuardOptions>(builder.Configuration.GetSection(GuardOptions.Section));
        builder.Services.AddSingleton<GuardService>();
        builder.Services.AddSingleton<GuardTraffic>();
        builder.Services.AddHostedService<GuardWorker>();
        return builder;
    }
}
