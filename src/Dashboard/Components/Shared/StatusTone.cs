using Cutover.Core.Domain;
using Radzen;

namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// One place that decides the colour and icon of every status, so health, sync and deployment states look the same
/// on every page: green is good, amber needs a look, red is broken, grey is not known yet, blue is in progress.
/// </summary>
public static class StatusTone
{
    public static (BadgeStyle Style, string Icon) Of(HealthStatus health) => health switch
    {
        HealthStatus.Healthy => (BadgeStyle.Success, "check_circle"),
        HealthStatus.Unhealthy => (BadgeStyle.Danger, "error"),
        _ => (BadgeStyle.Base, "help"),
    };

    public static (BadgeStyle Style, string Icon) Of(SyncStatus sync) => sync switch
    {
        SyncStatus.Synced => (BadgeStyle.Success, "cloud_done"),
        SyncStatus.OutOfSync => (BadgeStyle.Warning, "sync_problem"),
        SyncStatus.Syncing => (BadgeStyle.Info, "sync"),
        _ => (BadgeStyle.Base, "help"),
    };

    public static (BadgeStyle Style, string Icon) Of(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Ready => (BadgeStyle.Success, "check"),
        DeploymentStatus.Failed => (BadgeStyle.Danger, "close"),
        _ => (BadgeStyle.Info, "hourglass_top"),
    };

    /// <summary>Words people read, not enum names.</summary>
    public static string Label(SyncStatus sync) => sync == SyncStatus.OutOfSync ? "Out of sync" : sync.ToString();
}
