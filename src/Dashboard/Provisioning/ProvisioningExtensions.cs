using Cutover.Core.Provisioning;

namespace Cutover.Dashboard.Provisioning;

public static class ProvisioningExtensions
{
    /// <summary>Provisioning runs: the service, its production steps, and the start-up marking of interrupted runs.</summary>
    public static WebApplicationBuilder AddCutoverProvisioning(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ProvisioningOptions>(builder.Configuration.GetSection(ProvisioningOptions.Section));
        builder.Services.AddSingleton<IProvisioningSteps, ProvisioningSteps>();
        builder.Services.AddSingleton<ProvisioningService>();
        builder.Services.AddSingleton<ProvisioningClient>();
        builder.Services.AddHostedService<InterruptedRuns>();
        return builder;
    }
}
