using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class DeploymentTimeline
{
    private List<TimelineRow> _rows = [];
    private TimelineKind _filter;

    /// <summary>Events, newest first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<EventRow> Events { get; set; } = [];

    /// <summary>The agent's deployments (deleted ones too) by id, to name them in sentences.</summary>
    [Parameter]
    public IReadOnlyDictionary<Guid, DeploymentRow> Deployments { get; set; } = new Dictionary<Guid, DeploymentRow>();

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    [Parameter]
    public bool HasMore { get; set; }

    [Parameter]
    public bool LoadingMore { get; set; }

    /// <summary>Set on a live page: when it last applied a change (shows the live mark).</summary>
    [Parameter]
    public DateTime? LastUpdate { get; set; }

    [Parameter]
    public EventCallback OnLoadMore { get; set; }

    protected override void OnParametersSet() => Fold();

    private void SetFilter(TimelineKind kind)
    {
        _filter = kind;
        Fold();
    }

    private void Fold() => _rows = TimelineRows.Build(Events, _filter);

    private string Label(Guid id) => EventText.Label(Deployments.GetValueOrDefault(id), id);
}
