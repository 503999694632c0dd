using System.Globalization;
using Cutover.Core.Domain;
using Cutover.Core.Guards;
using Cutover.Core.Queries;
using Cutover.Core.Results;
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
    private bool _guarded;
    private int _windowMinutes;
    private double _maxErrorPercent;
    private int _minRequests;
    private bool _requireHealthy;

    private static readonly int[] WindowChoices = [2, 5, 10, 15, 30, 60];

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

    /// <summary>The guard offered: the agent's default, else the house defaults. A promote offers it switched on, a rollback off.</summary>
    [Parameter]
    public GuardSettings? DefaultGuard { get; set; }

    /// <summary>Why the dialog is asking (again): production moved since the last confirmation.</summary>
    [Parameter]
    public string? Moved { get; set; }

    private string ConfirmText => Rollback ? "Roll back" : "Promote";

    private string ConfirmIcon => Rollback ? Icons.Material.Filled.Undo : Icons.Material.Filled.RocketLaunch;

    private Color ConfirmColor => Rollback ? Color.Warning : Color.Primary;

    private string Lead => Rollback
        ? $"Production returns to {EventText.Label(_target, _target.Id)}. New requests go there as soon as this completes."
        : $"{EventText.Label(_target, _target.Id)} takes production traffic. New requests go there as soon as this completes.";

    /// <summary>The target's traffic through Cutover in the last 15 minutes (preview RPCs), read in memory.</summary>
    private string TargetTraffic
    {
        get
        {
            var f = Data.GetTraffic(_target.Id, Traffic.TrafficFigures.FifteenMinutes);
            return f.Requests == 0
                ? "no RPCs in the last 15 min"
                : $"{f.Requests.ToString("N0", CultureInfo.InvariantCulture)} RPCs in 15 min · {GuardSettings.Percent(f.ErrorRate)} errors"
                  + (f.P99Ms is { } p99 ? $" · p99 {p99.ToString("0", CultureInfo.InvariantCulture)} ms" : "");
        }
    }

    /// <summary>Where a revert would go: the production now, if it is healthy (the guard's "last known good").</summary>
    private string RevertTo => _current is { Health: HealthStatus.Healthy } now
        ? $"If it trips, production returns to {EventText.Label(now, now.Id)} (healthy now)."
        : _current is { } unwell
            ? $"{EventText.Label(unwell, unwell.Id)} is {unwell.Health}, not healthy: a trip returns to the newest earlier healthy production, if there is one."
            : "There is no production now: a trip has nothing to revert to and only reports.";

    /// <summary>The guard as chosen, or why it cannot be (the same bounds the API checks).</summary>
    private Outcome<GuardSettings> ChosenGuard =>
        GuardSettings.From(TimeSpan.FromMinutes(_windowMinutes), _maxErrorPercent / 100, _minRequests, _requireHealthy);

    private string? GuardProblem => _guarded && ChosenGuard is { IsSuccess: false } bad ? bad.Failure!.Detail : null;

    protected override void OnInitialized()
    {
        (_current, _target, _moved) = (Current, Target, Moved);
        var offer = DefaultGuard ?? GuardSettings.Defaults;
        (_guarded, _windowMinutes, _maxErrorPercent, _minRequests, _requireHealthy) =
            (!Rollback, Math.Max(1, (int)offer.Window.TotalMinutes), offer.MaxErrorRate * 100, offer.MinRequests, offer.RequireHealthy);
        if (!WindowChoices.Contains(_windowMinutes)) _windowMinutes = 10;
        Compare();
        if (AgentId != Guid.Empty) _live = Data.Subscribe(AgentId, InvokeAsync, OnLiveAsync);
    }

    public ValueTask DisposeAsync() => _live?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Task OnLiveAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (_closed) return Task.CompletedTask;
        foreach (var change in changes)
        {
            if (change is DeploymentUpserted { Deployment: var d } && d.Id == _target.Id) _target = d;
            if (change is not AgentUpserted upserted) continue;
            if (Rollback && upserted.RollbackTarget is { } newTarget) _target = newTarget;
            if (upserted.Agent.Production?.Id == _current?.Id) continue;
            _current = upserted.Agent.Production;
            var by = changes.OfType<TimelineEventAdded>().Select(c => c.Event)
                .LastOrDefault(e => e.Kind is EventKind.Promoted or EventKind.RolledBack or EventKind.AutoReverted)?.Actor ?? "someone";
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
            new("Built", from?.Metadata.BuildTimestamp, to.Metadata.BuildTimestamp, "mono"),
            new("Health", from?.Health.ToString(), to.Health.ToString(), null),
            new("Age", from is null ? null : RelativeTime.Format(from.CreatedAt, Now), RelativeTime.Format(to.CreatedAt, Now), null),
        ];
        // Build time is optional metadata: a row of two dashes says nothing.
        _rows.RemoveAll(r => r.Name == "Built" && r.From is null && r.To is null);
    }

    private void Confirm()
    {
        // A second click (or Enter while the first is handled) must not confirm twice.
        if (_closed || GuardProblem is not null) return;
        _closed = true;
        Dialog.Close(DialogResult.Ok(new ConfirmedAction(string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim(), _current?.Id,
            _guarded ? ChosenGuard.Value : null)));
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
