using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// One row of the agents overview. The page renders again for every live batch (its counts and LIVE mark move);
/// a row renders again only when its own data or the relative time it shows changed, so a batch that touched two
/// agents re-renders two rows, not the whole page of rows. Rows are records replaced on change, so "changed" is a
/// reference comparison.
/// </summary>
public sealed partial class AgentListCells : ComponentBase
{
    private AgentListRow? _rendered;
    private string? _renderedSeen;

    [Parameter, EditorRequired]
    public AgentListRow Row { get; set; } = default!;

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    // The first render always happens, with the parameters it was initialized with.
    protected override void OnInitialized() => Remember();

    protected override bool ShouldRender()
    {
        if (ReferenceEquals(Row, _rendered) && Seen() == _renderedSeen) return false;
        Remember();
        return true;
    }

    private void Remember()
    {
        _rendered = Row;
        _renderedSeen = Seen();
    }

    private string Seen() => Row.LastSeenAt is { } at ? RelativeTime.Format(at, Now) : "";
}
