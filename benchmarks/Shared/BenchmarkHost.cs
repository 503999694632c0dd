using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Benchmarks.Shared;

/// <summary>
/// The real Cutover app inside a benchmark's process, as every benchmark runs it: Kestrel on a loopback port, the
/// Production environment, a temp SQLite file (deleted at the end), a bootstrap admin token, no demo agents and no
/// local runtime unless the benchmark turns it on, and a quiet log. <typeparamref name="TEntryPoint"/> is any type of
/// the app's assembly (a benchmark with top-level statements has a <c>Program</c> of its own). Linked into each
/// benchmark project rather than a library of its own: each benchmark stays one project.
/// </summary>
internal abstract class BenchmarkHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public const string Token = "cut_bench_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    protected BenchmarkHost()
    {
        Directory.CreateDirectory(DataDirectory);
        // Called when the server starts, so a subclass's own state is there by then.
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0, Listen));
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cutover-bench", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "cutover.db");

    public Uri Address { get; private set; } = default!;

    public Uri Start()
    {
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return Address;
    }

    /// <summary>The benchmark's own connection middleware, if any (e.g. counting bytes on the wire).</summary>
    protected virtual void Listen(ListenOptions listen)
    {
    }

    /// <summary>The benchmark's own settings, applied after the common ones (so they may override them).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory finds the content root only for test assemblies; a console names it itself.
        builder.UseContentRoot(DashboardDirectory());
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Cutover", $"Data Source={DatabasePath}");
        builder.UseSetting("Cutover:Database:Provider", "Sqlite");
        builder.UseSetting("Cutover:Auth:BootstrapToken", Token);
        builder.UseSetting("Cutover:Demo:Enabled", "false");
        builder.UseSetting("Cutover:Runtime:Local:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        Configure(builder);
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
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
