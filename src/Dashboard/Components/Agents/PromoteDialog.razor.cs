using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

public sealed partial class PromoteDialog
{
    public const int ReasonMaxLength = TimelineEvent.ReasonMaxLength;

    private List<CompareRow> _rows = [];
    private string? _reason;
    private bool _closed;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The production deployment now; null when the agent has none.</summary>
    [Parameter]
    public DeploymentRow? Current { get; set; }

    [Parameter, EditorRequired]
    public DeploymentRow Target { get; set; } = default!;

    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    /// <summary>True for a rollback: same comparison, different words and colour.</summary>
    [Parameter]
    public bool Rollback { get; set; }

    private string ConfirmText => Rollback ? "Roll back" : "Promote";

    private string ConfirmIcon => Rollback ? Icons.Material.Filled.Undo : Icons.Material.Filled.RocketLaunch;

    private Color ConfirmColor => Rollback ? Color.Warning : Color.Primary;

    private string Lead => Rollback
        ? $"Production returns to {EventText.Label(Target, Target.Id)}. New requests go there as soon as this completes."
        : $"{EventText.Label(Target, Target.Id)} takes production traffic. New requests go there as soon as this completes.";

    protected override void OnParametersSet()
    {
        var from = Current;
        var to = Target;
        _rows =
        [
            new("Image", from?.Image, to.Image, "mono"),
            new("Commit", from?.Metadata.ShortCommit, to.Metadata.ShortCommit, "mono"),
            new("Branch", from?.Metadata.Branch, to.Metadata.Branch, null),
            new("Author", from?.Metadata.AuthorName, to.Metadata.AuthorName, null),
            new("Age", from is null ? null : RelativeTime.Format(from.CreatedAt, Now), RelativeTime.Format(to.CreatedAt, Now), null),
        ];
    }

    private void Confirm()
    {
        // A second click (or Enter while the first is handled) must not confirm twice.
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

    private sealed record CompareRow(string Name, string? From, string? To, string? Css)
    {
        public bool Changed => From != To;
    }
}
