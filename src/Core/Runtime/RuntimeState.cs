namespace Cutover.Core.Runtime;

/// <summary>What the runtime sees of one deployment: Running, Exited(code) or Unknown.</summary>
public sealed record RuntimeState(RuntimeStatus Status, int? ExitCode = null, int? ProcessId = null)
{
    public static readonly RuntimeState Unknown = new(RuntimeStatus.Unknown);

    public static RuntimeState Running(int processId) => new(RuntimeStatus.Running, null, processId);

    public static RuntimeState Exited(int exitCode, int processId) => new(RuntimeStatus.Exited, exitCode, processId);

    public override string ToString() => Status switch
    {
        RuntimeStatus.Running => $"Running (pid {ProcessId})",
        RuntimeStatus.Exited => $"Exited ({ExitCode})",
        _ => "Unknown",
    };
}
