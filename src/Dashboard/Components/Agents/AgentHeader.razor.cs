using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class AgentHeader
{
    [Parameter, EditorRequired]
    public AgentSummary Agent { get; set; } = default!;

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    /// <summary>When the page last applied a live change (shown once the connection drops).</summary>
    [Parameter]
    public DateTime LastUpdate { get; set; }

    [Parameter]
    public bool CanOperate { get; set; }

    /// <summary>Where a rollback would return to (DeploymentService.PreviewRollbackTargetAsync); null disables it.</summary>
    [Parameter]
    public DeploymentRow? RollbackTarget { get; set; }

    /// <summary>Another action is running: nothing else may start.</summary>
    [Parameter]
    public bool Busy { get; set; }

    [Parameter]
    public bool RollbackBusy { get; set; }

    [Parameter]
    public EventCallback OnRollback { get; set; }

    /// <summary>Opens the deploy dialog (operators only; the dialog re-checks on the server).</summary>
    [Parameter]
    public EventCallback OnDeploy { get; set; }

    private string RollbackHint => RollbackTarget is { } t
        ? $"Roll back returns production to {EventText.Label(t, t.Id)}."
        : "Nothing to roll back to: no earlier production deployment is Ready and not deleted.";
}
