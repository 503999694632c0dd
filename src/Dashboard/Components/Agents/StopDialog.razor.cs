using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class StopDialog
{
    private string? _reason;
    private bool _closed;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public DeploymentRow Target { get; set; } = default!;

    private void Confirm()
    {
        if (_closed) return;
        _closed = true;
        Dialog.Close(DialogResult.Ok(new ConfirmedAction(string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim())));
    }

    private void Cancel()
    {
        if (_closed) return;
        _closed = true;
        Dialog.Cancel();
    }
}
