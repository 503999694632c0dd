using Cutover.Core.Queries;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class IdleStopNote
{
    private DateTime? _at;

    [Inject]
    private IDashboardClient Client { get; set; } = default!;

    [Parameter, EditorRequired]
    public DeploymentRow Deployment { get; set; } = default!;

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    protected override void OnParametersSet() => _at = Client.GetIdleStopAt(Deployment);

    public static string Text(DateTime at, DateTime now)
    {
        var left = at - now;
        if (left <= TimeSpan.Zero) return "stopping: idle";
        if (left < TimeSpan.FromMinutes(1)) return "stops when idle in under a minute";
        if (left < TimeSpan.FromHours(1)) return $"stops when idle in {(int)Math.Ceiling(left.TotalMinutes)} min";
        return $"stops when idle in {(int)Math.Ceiling(left.TotalHours)} h";
    }
}
