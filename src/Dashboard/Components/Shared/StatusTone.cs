using Cutover.Core.Domain;
using MudBlazor;

namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// One place that decides the colour and icon of every status, so health, sync and deployment states look the same
/// on every page: green is good, amber needs a look, red is broken, grey is not known yet, blue is in progress.
/// </summary>
public static class StatusTone
{
    public static (Color Color, string Icon) Of(HealthStatus health) => health switch
    {
        HealthStatus.Healthy => (Color.Success, Icons.Material.Filled.CheckCircle),
        HealthStatus.Unhealthy => (Color.Error, Icons.Material.Filled.Error),
        _ => (Color.Default, Icons.Material.Filled.HelpOutline),
    };

    public static (Color Color, string Icon) Of(SyncStatus sync) => sync switch
    {
        SyncStatus.Synced => (Color.Success, Icons.Material.Filled.CloudDone),
        SyncStatus.OutOfSync => (Color.Warning, Icons.Material.Filled.SyncProblem),
        SyncStatus.Syncing => (Color.Info, Icons.Material.Filled.Sync),
        _ => (Color.Default, Icons.Material.Filled.HelpOutline),
    };

    public static (Color Color, string Icon) Of(Core.Sources.SourceStatus status) => status switch
    {
        Core.Sources.SourceStatus.Succeeded => (Color.Success, Icons.Material.Filled.CloudDone),
        Core.Sources.SourceStatus.Failed => (Color.Error, Icons.Material.Filled.Error),
        Core.Sources.SourceStatus.Syncing => (Color.Info, Icons.Material.Filled.Sync),
        _ => (Color.Default, Icons.Material.Filled.HelpOutline),
    };

    public static (Color Color, string Icon) Of(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Ready => (Color.Success, Icons.Material.Filled.Check),
        DeploymentStatus.Failed => (Color.Error, Icons.Material.Filled.Close),
        // Stopped on purpose: nothing is wrong, and nothing runs.
        DeploymentStatus.Stopped => (Color.Default, Icons.Material.Filled.StopCircle),
        _ => (Color.Info, Icons.Material.Filled.HourglassTop),
    };

    /// <summary>Words people read, not enum names.</summary>
    public static string Label(SyncStatus sync) => sync == SyncStatus.OutOfSync ? "Out of sync" : sync.ToString();
}
