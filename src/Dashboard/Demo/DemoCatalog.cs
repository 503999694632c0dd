namespace Cutover.Dashboard.Demo;

/// <summary>
/// The demo's agents, chosen so the first screen has something of everything: versions waiting to be promoted,
/// a promotion in the timeline, health that flaps, and a deployment that failed.
/// </summary>
public static class DemoCatalog
{
    public static IReadOnlyList<DemoAgent> Agents { get; } =
    [
        new("support-bot", "Answers customer questions (demo)",
            ["cutover/sample-agent:1.0", "cutover/sample-agent:1.1", "cutover/sample-agent:2.0"],
            Promote: "cutover/sample-agent:1.1"),
        new("research-agent", "Summarises sources; its production build flaps (demo)",
            ["cutover/sample-agent:1.0", "cutover/sample-agent:1.1-flaky"],
            Promote: "cutover/sample-agent:1.1-flaky"),
        new("billing-agent", "Explains invoices; its 2.1 build crashes on start (demo)",
            ["cutover/sample-agent:1.0", "cutover/sample-agent:2.1-broken"],
            Promote: null),
    ];
}
