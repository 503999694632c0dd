using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class DeleteDialog
{
    private string? _reason;
    private bool _closed;

    [Inject]
    private DialogService DialogService { get; set; } = default!;

    [Parameter, EditorRequired]
    public DeploymentRow Target { get; set; } = default!;

    private void Confirm()
    {
        if (_closed) return;
        _closed = true;
        DialogService.Close(new ConfirmedAction(string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim()));
    }

    private void Cancel()
    {
        if (_closed) return;
        _closed = true;
        DialogService.Close(null);
    }
}
