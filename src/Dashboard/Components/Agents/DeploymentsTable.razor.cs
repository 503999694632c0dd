using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class DeploymentsTable
{
    private List<DeploymentRow> _live = [];
    private List<DeploymentRow> _rows = [];
    private int _deletedCount;
    private bool _showDeleted;
    private readonly HashSet<Guid> _previewOpen = [];

    /// <summary>All of the agent's deployments, deleted ones included, newest first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<DeploymentRow> Deployments { get; set; } = [];

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    /// <summary>Shows Promote and Delete. The handlers re-check authorization on the server; this only hides.</summary>
    [Parameter]
    public bool CanOperate { get; set; }

    /// <summary>The deployment an action is running on: its button shows busy and every action is disabled.</summary>
    [Parameter]
    public Guid? BusyDeploymentId { get; set; }

    [Parameter]
    public EventCallback<DeploymentRow> OnPromote { get; set; }

    [Parameter]
    public EventCallback<DeploymentRow> OnDelete { get; set; }

    /// <summary>The images the runtime here runs: only their deployments can be stopped and started from here.</summary>
    [Parameter]
    public IReadOnlyCollection<string> RuntimeImages { get; set; } = [];

    [Parameter]
    public EventCallback<DeploymentRow> OnStop { get; set; }

    [Parameter]
    public EventCallback<DeploymentRow> OnStart { get; set; }

    protected override void OnParametersSet() => Filter();

    private void Filter()
    {
        _live = Deployments.Where(d => !d.IsDeleted).ToList();
        _deletedCount = Deployments.Count - _live.Count;
        _rows = _showDeleted ? Deployments.ToList() : _live;
    }

    /// <summary>"orders:1.4.0" → ("orders:", "1.4.0"): the tag is what tells an agent's deployments apart.</summary>
    private static (string Repository, string Tag) SplitTag(string shortImage)
    {
        var colon = shortImage.LastIndexOf(':');
        return colon > 0 ? (shortImage[..(colon + 1)], shortImage[(colon + 1)..]) : ("", shortImage);
    }

    private bool Runs(DeploymentRow d) => RuntimeImages.Contains(d.Image);

    private static string DeleteHint(DeploymentRow d) =>
        d.IsProduction ? Core.Status.Transitions.CannotDeleteProduction : "Delete this deployment";

    private void TogglePreview(Guid id)
    {
        if (!_previewOpen.Remove(id)) _previewOpen.Add(id);
    }

    private void ToggleDeleted(bool show)
    {
        _showDeleted = show;
        Filter();
    }

    private static string RowClass(DeploymentRow d, int index) =>
        d.IsProduction ? "row-production" : d.IsDeleted ? "row-deleted" : d.Status == Core.Domain.DeploymentStatus.Stopped ? "row-stopped" : "";
}
