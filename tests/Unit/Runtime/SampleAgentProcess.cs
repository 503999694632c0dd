using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>The sample agent as a real child process on 127.0.0.1:0; disposing kills it.</summary>
internal sealed partial class SampleAgentProcess : IDisposable
{
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleAgentProcess(Process process) => Process = process;

    public Process Process { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public Uri Url { get; private set; } = default!;

    public static async Task<SampleAgentProcess> StartAsync(IDictionary<string, string>? environment = null, bool waitForUrl = true)
    {
        if (!File.Exists(SampleAgentPaths.Dll)) throw new InvalidOperationException($"Build the solution first: {SampleAgentPaths.Dll} is missing.");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(SampleAgentPaths.Dll);
        psi.Environment["AGENT_PORT"] = "0";
        psi.Environment["AGENT_NAME"] = "test-agent";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var agent = new SampleAgentProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        agent.Process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        agent.Process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        agent.Process.Exited += (_, _) => agent._listening.TrySetException(
            new InvalidOperationException("The agent exited:\n" + string.Join("\n", agent.Output)));
        agent.Process.Start();
        agent.Process.BeginOutputReadLine();
        agent.Process.BeginErrorReadLine();
        if (waitForUrl) agent.Url = await agent._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return agent;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        Output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value + "/"));
    }

    [GeneratedRegex(@"^Agent .* listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
