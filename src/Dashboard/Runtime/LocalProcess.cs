using System.Diagnostics;
using Cutover.Core.Runtime;

namespace Cutover.Dashboard.Runtime;

/// <summary>One deployment's child process: its recent output and how it ended.</summary>
internal sealed class LocalProcess : IDisposable
{
    private readonly Process _process;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private long _total;
    private volatile bool _stopRequested;

    private LocalProcess(Process process, int capacity)
    {
        _process = process;
        _capacity = Math.Max(1, capacity);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public int ProcessId { get; private set; }

    public Task<RuntimeExit> Exited { get; private set; } = default!;

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Starts the process; throws what <see cref="Process.Start()"/> throws when the command cannot run.</summary>
    public static LocalProcess Start(ProcessStartInfo startInfo, int capacity)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var local = new LocalProcess(process, capacity);
        process.Start();
        local.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        local.Exited = local.WaitAsync();
        return local;
    }

    public RuntimeOutput Output()
    {
        lock (_lock) return new RuntimeOutput([.. _lines], _total);
    }

    public RuntimeState State() => Exited.IsCompletedSuccessfully
        ? RuntimeState.Exited(Exited.Result.ExitCode, ProcessId)
        : RuntimeState.Running(ProcessId);

    /// <summary>Kills the process and everything it started, and waits (bounded) for it to be gone.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stopRequested = true;
        if (HasExited) return;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        await Exited.WaitAsync(timeout).ConfigureAwait(false);
    }

    public void Dispose() => _process.Dispose();

    private async Task<RuntimeExit> WaitAsync()
    {
        // Waits for the output streams to be drained too, so the last lines are in the buffer.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var output = Output();
        return new RuntimeExit(_process.ExitCode, _stopRequested, output.Lines.TakeLast(10).ToList());
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _lines.Enqueue(line);
            _total++;
            while (_lines.Count > _capacity) _lines.Dequeue();
        }
    }
}
