using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cutover.Tests.E2E.Infrastructure;

/// <summary>
/// The real Cutover app as a child process on a free loopback port (Kestrel picks it: port 0), with its own temp
/// SQLite database and a bootstrap admin token. Disposing stops it and deletes the database.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    public const string AdminToken = "cut_e2e_admin_0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly bool _ownsDirectory;

    private AppProcess(Process process, string directory, bool ownsDirectory)
    {
        _process = process;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "cutover.db");

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Everything the app printed so far (for diagnostics and for tests that read start-up output).</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// Starts the app. With <paramref name="directory"/> it runs over that folder's database (a restart after a
    /// kill) and leaves the folder in place when disposed; otherwise it makes a fresh one and deletes it.
    /// </summary>
    public static async Task<AppProcess> StartAsync(IDictionary<string, string>? settings = null, TimeSpan? timeout = null,
        string? directory = null)
    {
        if (!File.Exists(RepoPaths.DashboardDll))
            throw new InvalidOperationException($"Build the dashboard first: {RepoPaths.DashboardDll} is missing.");

        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "cutover-e2e", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.DashboardProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(RepoPaths.DashboardDll);
        psi.ArgumentList.Add("--contentRoot");
        psi.ArgumentList.Add(RepoPaths.DashboardProject);
        // Development serves static web assets straight from the build output (no publish step).
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["ConnectionStrings__Cutover"] = $"Data Source={Path.Combine(directory, "cutover.db")}";
        psi.Environment["Cutover__Database__Provider"] = "Sqlite";
        psi.Environment["Cutover__Auth__BootstrapToken"] = AdminToken;
        psi.Environment["Cutover__Demo__Enabled"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k.Replace(":", "__")] = v;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var app = new AppProcess(process, directory, ownsDirectory);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Exited += (_, _) => app._listening.TrySetException(
            new InvalidOperationException("The app exited during start-up:\n" + string.Join("\n", app._output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var url = await app._listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        app.BaseUrl = new Uri(url.TrimEnd('/') + "/");
        return app;
    }

    public HttpClient CreateClient(string? bearerToken = AdminToken)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearerToken);
        return client;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        var m = ListeningPattern().Match(line);
        if (m.Success) _listening.TrySetResult(m.Groups[1].Value);
    }

    /// <summary>SIGKILL of the app alone, as a crash: no shutdown code runs; its agents end on their own watch.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        _process.Dispose();
        if (!_ownsDirectory) return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
