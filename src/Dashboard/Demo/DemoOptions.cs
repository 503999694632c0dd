namespace Cutover.Dashboard.Demo;

/// <summary><c>Cutover:Demo</c>: start sample agents at start-up so a first run shows live data.</summary>
public sealed class DemoOptions
{
    public const string Section = "Cutover:Demo";

    public bool Enabled { get; set; }
}
