using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cutover.Tests.E2E.Infrastructure;

/// <summary>The agent processes a dashboard started, as its console names them, and whether they still run.</summary>
internal static partial class AgentProcesses
{
    /// <summary>The pids of every "Started deployment … as process N on port P" line.</summary>
    public static List<int> StartedIn(IEnumerable<string> output) =>
        output.Select(l => StartedLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    public static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"as process (\d+) on port")]
    private static partial Regex StartedLine();
}
