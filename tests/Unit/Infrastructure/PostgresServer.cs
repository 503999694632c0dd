using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster on loopback, made with the machine's own initdb/pg_ctl (Debian's postgresql
/// package). When the binaries are absent, <see cref="Unavailable"/> says why and the PostgreSQL tests report it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDir;
    private string? _bin;

    public string? Unavailable { get; private set; }

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40";

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (_bin is null)
        {
            Unavailable = "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql).";
            return;
        }

        _dataDir = Path.Combine(Path.GetTempPath(), "cutover-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        Port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "postgres", _dataDir);
        await AsPostgresAsync($"{_bin}/initdb -D {_dataDir} -U postgres --auth=trust -E UTF8 --no-sync", asRoot);
        await AsPostgresAsync($"{_bin}/pg_ctl -D {_dataDir} -o \"-c listen_addresses=127.0.0.1 -p {Port} -k /tmp -c fsync=off -c max_connections=200\" -w start", asRoot);
    }

    public async Task DisposeAsync()
    {
        if (_bin is null || _dataDir is null) return;
        var asRoot = Environment.UserName == "root";
        await AsPostgresAsync($"{_bin}/pg_ctl -D {_dataDir} -m immediate -w stop", asRoot);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task AsPostgresAsync(string command, bool asRoot) =>
        asRoot ? RunAsync("su", "postgres", "-s", "/bin/sh", "-c", command) : RunAsync("/bin/sh", "-c", command);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout}{await stderr}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
