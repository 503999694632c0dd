using Cutover.Core.Deployments;
using Cutover.Core.Runtime;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

public static class RuntimeExtensions
{
    /// <summary>
    /// The deployment runtime (local child processes when <c>Cutover:Runtime:Local:Enabled</c>, else none) and the
    /// deploy service that drives it.
    /// </summary>
    public static WebApplicationBuilder AddCutoverRuntime(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<RuntimeOptions>(builder.Configuration.GetSection(RuntimeOptions.Section));
        services.AddSingleton<IConfigureOptions<LocalRuntimeOptions>, LocalRuntimeConfiguration>();
        services.AddSingleton<IOptionsChangeTokenSource<LocalRuntimeOptions>>(
            new ConfigurationChangeTokenSource<LocalRuntimeOptions>(builder.Configuration.GetSection(LocalRuntimeOptions.Section)));

        if (builder.Configuration.GetValue<bool>($"{LocalRuntimeOptions.Section}:Enabled"))
        {
            services.AddSingleton<ControlPlaneAddress>();
            services.AddSingleton<AgentTokenIssuer>();
            services.AddSingleton<LocalProcessRuntime>();
            services.AddSingleton<IDeploymentRuntime>(sp => sp.GetRequiredService<LocalProcessRuntime>());
        }
        else
        {
            services.AddSingleton<IDeploymentRuntime, DisabledRuntime>();
        }

        services.AddSingleton<DeploymentLauncher>();
        services.AddHostedService<ProcessReaper>();
        services.AddHostedService<RuntimeShutdown>();
        services.AddHostedService<StrandedDeployments>();
        services.AddHostedService<IdlePreviewStopper>();
        // Every node's calls reach the idle clock of whichever node holds the idle-previews lease.
        services.AddHostedService<Traffic.RpcStampWorker>();
        return builder;
    }
}
