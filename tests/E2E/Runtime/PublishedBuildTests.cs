using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cutover.Tests.E2E.Infrastructure;

namespace Cutover.Tests.E2E.Runtime;

/// <summary>
/// The published build is complete: <c>dotnet publish</c> to a temporary folder, started from another folder in
/// Production with demo mode on, runs the sample agents it ships, serves Blazor's script, keeps its console quiet,
/// and leaves no agent process behind when it stops.
/// </summary>
public sealed partial class PublishedBuildTests : IAsyncLifetime
{
    private const string AdminToken = "cut_pub_admin_0123456789abcdefghijklmnopqrstuvwxyz";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private static readonly string[] DemoAgents = ["support-bot", "research-agent", "billing-agent"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cutover-e2e", "published-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _output = new();

    private string PublishDir => Path.Combine(_root, "out");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "elsewhere"));
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task PublishedBuild_ProductionWithDemo_AgentsHealthyAnswerRpcAndStopWithIt()
    {
        // The solution is built already (test.sh); publishing reuses that build, as `dotnet publish` would make it.
        await RunAsync("dotnet", "publish", Path.Combine(RepoPaths.DashboardProject, "Dashboard.csproj"), "-c", RepoPaths.Configuration,
            "-o", PublishDir, "--no-build", "-nologo");
        Assert.True(File.Exists(Path.Combine(PublishDir, "sample-agent", "Cutover.SampleAgent.dll")), "the sample agent is not in the publish output");

        using var app = StartPublished();
        var baseUrl = await ListeningAsync(app);
        using var client = new HttpClient { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);

        // Production serves Blazor's own script from the publish output.
        using (var script = await client.GetAsync("_framework/blazor.web.js"))
        {
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000, "blazor.web.js is empty");
        }

        await UntilAsync(async () =>
        {
            var agents = await client.GetFromJsonAsync<JsonElement>("api/agents?pageSize=50");
            var healthy = agents.GetProperty("items").EnumerateArray()
                .Where(a => a.GetProperty("health").GetString() == "Healthy").Select(a => a.GetProperty("name").GetString()).ToHashSet();
            return DemoAgents.All(healthy.Contains);
        }, "the three demo agents to be healthy");

        foreach (var name in DemoAgents)
        {
            using var rpc = await client.PostAsync($"api/agents/by-name/{name}/rpc",
                new StringContent("""{"jsonrpc":"2.0","id":1,"method":"agent/info"}""", Encoding.UTF8, "application/json"));
            var body = await rpc.Content.ReadAsStringAsync();
            Assert.True(rpc.StatusCode == HttpStatusCode.OK, $"{name}: {rpc.StatusCode} {body}");
            Assert.Contains("\"result\"", body);
        }

        var agentPids = AgentProcesses.StartedIn(_output);
        Assert.True(agentPids.Count >= 5, "expected the demo's agent processes:\n" + string.Join("\n", _output));

        // A graceful stop (SIGTERM) takes the agents with it.
        await RunAsync("kill", "-s", "TERM", app.Id.ToString());
        await app.WaitForExitAsync().WaitAsync(Wait);
        await UntilAsync(() => Task.FromResult(!agentPids.Any(AgentProcesses.IsRunning)), "every agent process to be gone");

        // Quiet: no HTTP client chatter or stack traces from the probes; the setup link stands out.
        Assert.DoesNotContain(_output, l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain(_output, l => l.Contains("Connection refused", StringComparison.Ordinal));
        Assert.Contains(_output, l => l.Contains("Create the first admin (one-time link):", StringComparison.Ordinal));
    }

    private Process StartPublished()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            // Not the publish folder: settings, wwwroot and the sample agent must come from the app's own folder.
            WorkingDirectory = Path.Combine(_root, "elsewhere"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(PublishDir, "Cutover.Dashboard.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["ConnectionStrings__Cutover"] = $"Data Source={Path.Combine(_root, "cutover.db")}";
        psi.Environment["Cutover__Demo__Enabled"] = "true";
        psi.Environment["Cutover__Auth__BootstrapToken"] = AdminToken;
        psi.Environment["Cutover__Health__ProbeInterval"] = "00:00:02";
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<Uri> ListeningAsync(Process app)
    {
        Uri? url = null;
        await UntilAsync(() =>
        {
            if (app.HasExited) throw new InvalidOperationException("The published app exited:\n" + string.Join("\n", _output));
            var m = _output.Select(l => ListeningLine().Match(l)).FirstOrDefault(m => m.Success);
            if (m is not null) url = new Uri(m.Groups[1].Value.TrimEnd('/') + "/");
            return Task.FromResult(url is not null);
        }, "the published app to listen");
        return url!;
    }

    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var cts = new CancellationTokenSource(Wait);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (!await condition()) await timer.WaitForNextTickAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}:\n{string.Join("\n", _output)}");
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(Wait);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout}{await stderr}");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
