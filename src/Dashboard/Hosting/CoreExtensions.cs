using Cutover.Core.Deployments;
using Cutover.Core.Status;

namespace Cutover.Dashboard.Hosting;

public static class CoreExtensions
{
    /// <summary>The domain services of src/Core: chokepoint, bus, deployments.</summary>
    public static WebApplicationBuilder AddCutoverCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatusBus>();
        builder.Services.AddSingleton<StatusChokepoint>();
        builder.Services.AddSingleton<DeploymentService>();
        builder.Services.AddSingleton<AgentDeletion>();
        builder.Services.AddSingleton<Core.Queries.AgentQueries>();
        builder.Services.AddSingleton<Core.Queries.AuditQueries>();
        builder.Services.Configure<DeploymentOptions>(builder.Configuration.GetSection(DeploymentOptions.Section));
        builder.Services.AddHostedService<StatusBusSeeder>();
        builder.Services.AddHostedService<RetentionWorker>();
        return builder;
    }
}
