namespace Cutover.Benchmarks.Ui;

/// <summary>
/// How big a run is. <see cref="Full"/> is what the targets are about; <see cref="Small"/> runs the same steps on
/// fewer agents, tabs and seconds, so CI sees every step work in well under a minute.
/// </summary>
internal sealed record Size(
    string Name,
    int Agents,
    int BaselineAgents,
    int Renders,
    int Searches,
    int MemoryTabs,
    int StatusTabs,
    int ChangesPerSecond,
    double StatusSeconds)
{
    /// <summary>Rows per page the status tabs show; tab t shows page t, so the tabs together show every changing agent.</summary>
    public const int RowsPerTab = 100;

    public static readonly Size Full = new("full", 10_000, 20, 5, 5, 10, 10, 100, 20);

    public static readonly Size Small = new("small", 1_000, 20, 2, 2, 2, 2, 100, 3);

    /// <summary>The agents whose status changes: every row the status tabs show.</summary>
    public int StatusAgents => StatusTabs * RowsPerTab;

    public static Size Parse(string[] args)
    {
        var i = Array.IndexOf(args, "--size");
        var name = i >= 0 && i + 1 < args.Length ? args[i + 1] : "full";
        return name switch
        {
            "full" => Full,
            "small" => Small,
            _ => throw new ArgumentException($"--size is 'full' or 'small', not '{name}'."),
        };
    }
}
