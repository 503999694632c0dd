using System.Net;
using Cutover.Core.Provisioning;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cutover.Benchmarks.Provisioning;

/// <summary>
/// The real app in this process on a loopback port over a temp SQLite database, with the local runtime on (real
/// sample-agent processes) and the fault plan around the real provisioning steps.
/// </summary>
internal sealed class ProvisioningHost : WebApplicationFactory<Program>
{
    public const string Token = "cut_bench_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));

    private readonly TimeSpan _wakeTimeout;

    public ProvisioningHost(TimeSpan wakeTimeout)
    {
        _wakeTimeout = wakeTimeout;
        Directory.CreateDirectory(_directory);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public Uri Start()
    {
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(DashboardDirectory());
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={Path.Combine(_directory, "cutover.db")}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", Token);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "true");
        builder.UseSetting("Cutover:Runtime:ReadyTimeout", "00:02:00");
        builder.UseSetting("Cutover:Provisioning:WakeTimeout", _wakeTimeout.ToString("c"));
        builder.UseSetting("Cutover:RateLimits:Registration:PermitLimit", "1000000");
        builder.UseSetting("Cutover:RateLimits:HealthReport:PermitLimit", "1000000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ProvisioningSteps>();
            services.AddSingleton<FaultPlan>();
            services.RemoveAll<IProvisioningSteps>();
            services.AddSingleton<IProvisioningSteps>(sp => sp.GetRequiredService<FaultPlan>());
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static string DashboardDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Dashboard");
            if (File.Exists(Path.Combine(candidate, "Dashboard.csproj"))) return candidate;
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
