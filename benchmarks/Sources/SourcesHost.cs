using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Sources;

/// <summary>The real Cutover app (any type of its assembly names the entry point) on a loopback port over a temp SQLite database, in Production, with an admin token.</summary>
internal sealed class SourcesHost : WebApplicationFactory<Cutover.Dashboard.Sources.SourceOptions>
{
    public const string Token = "cut_bench_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    public SourcesHost(string directory)
    {
        Directory = directory;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string Directory { get; }

    public Uri Start()
    {
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(DashboardDirectory());
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={Path.Combine(Directory, "cutover.db")}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", Token);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    private static string DashboardDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln"))) return Path.Combine(dir.FullName, "src", "Dashboard");
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (Dashboard.sln not found above it).");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
    }
}
