using System.Globalization;
using Cutover.Core.Domain;

namespace Cutover.Core.Deployments;

/// <summary>
/// The one place that turns what happened to a deploy into its terminal state, for every path that deploys (the
/// API, the dashboard's dialog, demo mode, relaunches). A deploy always ends Ready or Failed and the agent's sync
/// always ends Synced or OutOfSync: there is no outcome that leaves it Syncing. A runtime that could not deliver
/// marks sync OutOfSync, never health Unhealthy; only a process seen dying says something about health.
/// </summary>
public static class DeployInterpreter
{
    private const int OutputLinesInReason = 3;

    public static DeployVerdict Interpret(DeployAttempt attempt, TimeSpan readyTimeout) => attempt.Kind switch
    {
        DeployAttemptKind.Registered =>
            new DeployVerdict(true, DeploymentStatus.Ready, SyncStatus.Synced, null, StopProcess: false, ProcessDied: false),
        DeployAttemptKind.StartRefused =>
            Failed($"The runtime could not start it: {attempt.Detail ?? "no reason given"}", stop: false),
        DeployAttemptKind.StartThrew =>
            Failed($"Starting it failed unexpectedly: {attempt.Detail ?? "unknown error"}", stop: true),
        DeployAttemptKind.ExitedBeforeReady =>
            Failed($"The process exited with code {Code(attempt)} before it registered.{Tail(attempt)}", stop: false),
        DeployAttemptKind.TimedOut =>
            Failed($"It did not register within {Describe(readyTimeout)}; the process was stopped.{Tail(attempt)}", stop: true),
        DeployAttemptKind.StoppedBeforeReady =>
            Failed($"It was stopped before it registered ({attempt.Detail ?? "stopped by Cutover"}).", stop: false),
        DeployAttemptKind.ExitedAfterReady =>
            Failed($"The process exited with code {Code(attempt)}.{Tail(attempt)}", stop: false) with { ProcessDied = true },
        _ => Failed($"Unrecognised deploy outcome {attempt.Kind}.", stop: true),
    };

    private static DeployVerdict Failed(string reason, bool stop) =>
        new(false, DeploymentStatus.Failed, SyncStatus.OutOfSync, reason, stop, ProcessDied: false);

    private static string Code(DeployAttempt a) => a.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Tail(DeployAttempt a)
    {
        var lines = a.LastOutput?.Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(OutputLinesInReason).ToList();
        return lines is { Count: > 0 } ? " Last output: " + string.Join(" | ", lines.Select(l => l.Trim())) : "";
    }

    private static string Describe(TimeSpan t) =>
        t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : $"{t.TotalMilliseconds:0} ms";
}
