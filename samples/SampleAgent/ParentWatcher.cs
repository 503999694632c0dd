using System.Diagnostics;

namespace Cutover.SampleAgent;

/// <summary>
/// Exits the agent when the process that started it (CUTOVER_PARENT_PID) is gone, so a dashboard that dies without
/// cleaning up (killed, crashed) leaves no orphaned agents behind. The parent's start time guards against a reused pid.
/// </summary>
public sealed partial class ParentWatcher(
    AgentSettings settings,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ParentWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ParentPid is not { } pid) return;

        var started = StartTime(pid);
        using var timer = new PeriodicTimer(Interval, time);
        while (started is not null && StartTime(pid) == started)
        {
            if (!await timer.WaitForNextTickAsync(stoppingToken)) return;
        }

        LogParentGone(logger, pid);
        lifetime.StopApplication();
        // If a graceful stop hangs, leave anyway: outliving the parent is the one thing this must not do.
        _ = Task.Delay(GracefulStop, time, CancellationToken.None).ContinueWith(_ => Environment.Exit(0), TaskScheduler.Default);
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited ? null : p.StartTime;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Parent process {Pid} is gone; shutting down")]
    private static partial void LogParentGone(ILogger logger, int pid);
}
