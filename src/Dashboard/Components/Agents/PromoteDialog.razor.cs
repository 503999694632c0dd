using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// Confirms a promote or a roll back against the production it shows. While open it follows the agent live (through
/// the seam): if production moves, the "From" column and the notice say who moved it where, and the confirmation
/// carries the production the person last saw, so a stale one is refused by Core instead of overwriting.
/// </summary>
public sealed partial class PromoteDialog : IAsyncDisposable
{
    public const int ReasonMaxLength = TimelineEvent.ReasonMaxLength;

    private List<CompareRow> _rows = [];
    private string? _reason;
    private bool _closed;
    private DeploymentRow? _current;
    private DeploymentRow _target = default!;
    private string? _moved;
    private DashboardSubscription? _live;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    /// <summary>The agent whose production this changes; its live changes keep the dialog current.</summary>
    [Parameter]
    public Guid AgentId { get; set; }

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

    /// <summary>Why the dialog is asking (again): production moved since the last confirmation.</summary>
    [Parameter]
    public string? Moved { get; set; }

    private string ConfirmText => Rollback ? "Roll back" : "Promote";

    private string ConfirmIcon => Rollback ? Icons.Material.Filled.Undo : Icons.Material.Filled.RocketLaunch;

    private Color ConfirmColor => Rollback ? Color.Warning : Color.Primary;

    private string Lead => Rollback
        ? $"Production returns to {EventText.Label(_target, _target.Id)}. New requests go there as soon as this completes."
        : $"{EventText.Label(_target, _target.Id)} takes production traffic. New requests go there as soon as this completes.";

    protected override void OnInitialized()
    {
        (_current, _target, _moved) = (Current, Target, Moved);
        Compare();
        if (AgentId != Guid.Empty) _live = Data.Subscribe(AgentId, InvokeAsync, OnLiveAsync);
    }

    public ValueTask DisposeAsync() => _live?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Task OnLiveAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (_closed) return Task.CompletedTask;
        foreach (var change in changes)
        {
            if (change is not AgentUpserted upserted) continue;
            if (Rollback && upserted.RollbackTarget is { } newTarget) _target = newTarget;
            if (upserted.Agent.Production?.Id == _current?.Id) continue;
            _current = upserted.Agent.Production;
            var by = changes.OfType<TimelineEventAdded>().Select(c => c.Event)
                .LastOrDefault(e => e.Kind is EventKind.Promoted or EventKind.RolledBack)?.Actor ?? "someone";
            _moved = _current is { } now
                ? $"Production just changed: {by} moved it to {EventText.Label(now, now.Id)}. Check the comparison and confirm again."
                : $"Production just changed: {by} left the agent without one. Check the comparison and confirm again.";
        }

        Compare();
        StateHasChanged();
        return Task.CompletedTask;
    }

    private void Compare()
    {
        var from = _current;
        var to = _target;
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
        Dialog.Close(DialogResult.Ok(new ConfirmedAction(string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim(), _current?.Id)));
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
