namespace Cutover.Dashboard.Runtime;

/// <summary><c>Cutover:Runtime:Local</c>: run deployments as child processes of the dashboard.</summary>
public sealed class LocalRuntimeOptions
{
    public const string Section = "Cutover:Runtime:Local";

    public bool Enabled { get; set; }

    /// <summary>Image name (e.g. <c>cutover/sample-agent:1.0</c>) to the command that runs it.</summary>
    public Dictionary<string, LocalImage> Images { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many of each process's last output lines are kept for the dashboard.</summary>
    public int OutputLines { get; set; } = 200;

    /// <summary>The URL agents use to reach the control plane; by default the dashboard's own http address.</summary>
    public string? ControlPlaneUrl { get; set; }

    /// <summary>How long a stopped process may take to exit after it was killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
