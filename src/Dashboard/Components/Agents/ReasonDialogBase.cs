using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// A confirmation of one action on <see cref="Target"/> with an optional reason (Delete, Stop): closes once with
/// <see cref="ConfirmedAction"/> carrying the trimmed reason, or cancels. Each dialog adds only its own words.
/// </summary>
public abstract class ReasonDialogBase : ComponentBase
{
    protected string? Reason { get; set; }

    protected bool Closed { get; private set; }

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public DeploymentRow Target { get; set; } = default!;

    protected void Confirm()
    {
        // A second click (or Enter while the first is handled) must not confirm twice.
        if (Closed) return;
        Closed = true;
        Dialog.Close(DialogResult.Ok(new ConfirmedAction(string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim())));
    }

    protected void Cancel()
    {
        if (Closed) return;
        Closed = true;
        Dialog.Cancel();
    }
}
