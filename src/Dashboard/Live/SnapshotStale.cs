namespace Cutover.Dashboard.Live;

/// <summary>
/// What the page holds can no longer be patched: changes were missed (a sequence gap) or the browser's connection
/// came back after a drop. The page reloads its snapshot from the seam.
/// </summary>
public sealed record SnapshotStale(string Reason) : DashboardChange;
