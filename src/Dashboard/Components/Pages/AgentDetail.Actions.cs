using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Promote, roll back and delete. Each asks for confirmation, re-checks the Operator policy on the server right
/// before calling Core (hidden buttons are not a security boundary), runs one action at a time, and reports the
/// outcome: on failure the Failure's own detail, which says what to do.
/// </summary>
public sealed partial class AgentDetail
{
    private static readonly DialogOptions ConfirmOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };

    private bool _canOperate;
    private bool _busy;
    private Guid? _busyDeploymentId;
    private bool _rollbackBusy;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Opens the deploy dialog; it re-checks Operator itself and shows progress until Ready or Failed.</summary>
    private async Task DeployAsync()
    {
        if (_busy || _agent is null) return;
        var latest = _deployments?.FirstOrDefault()?.Image;
        var parameters = new DialogParameters<Runtime.DeployDialog> { { x => x.AgentId, Id }, { x => x.Image, latest } };
        var dialog = await Dialogs.ShowAsync<Runtime.DeployDialog>("Deploy a new version", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        // "Promote now" from the dialog goes through the same confirmation as the row's Promote button.
        if (await dialog.Result is { Canceled: false, Data: Runtime.PromoteRequested promote })
        {
            if (!_deploymentsById.ContainsKey(promote.DeploymentId)) await ReloadAsync();
            if (_deploymentsById.GetValueOrDefault(promote.DeploymentId) is { CanBePromoted: true } row) await PromoteAsync(row);
        }
    }

    private Task PromoteAsync(DeploymentRow target) => ChangeProductionAsync(target, rollback: false);

    private Task RollbackAsync() => _rollbackTarget is { } target ? ChangeProductionAsync(target, rollback: true) : Task.CompletedTask;

    /// <summary>
    /// Promote or roll back: confirm against the production shown, then ask Core to change it only if that is still
    /// production. If someone moved it meanwhile, the dialog opens again saying who moved it where.
    /// </summary>
    private async Task ChangeProductionAsync(DeploymentRow target, bool rollback)
    {
        if (_busy || _agent is null) return;
        _busy = true;
        try
        {
            string? moved = null;
            while (true)
            {
                var current = _agent.Production;
                if (await ConfirmAsync<PromoteDialog>(rollback ? "Roll back production" : "Promote to production", new DialogParameters<PromoteDialog>
                    {
                        { x => x.AgentId, Id }, { x => x.Target, target }, { x => x.Now, Time.GetUtcNow().UtcDateTime },
                        { x => x.Current, current }, { x => x.Rollback, rollback }, { x => x.Moved, moved },
                        { x => x.DefaultGuard, _guard?.Default },
                    }) is not { } confirmed) return;

                if (rollback) _rollbackBusy = true;
                else _busyDeploymentId = target.Id;
                StateHasChanged();
                if (await AuthorizedActorAsync() is not { } actor) return;
                // Name the target the person confirmed: if production moved meanwhile, "the previous one" may differ.
                var outcome = rollback
                    ? await Data.RollbackAsync(Id, target.Id, confirmed.ExpectedProductionDeploymentId, confirmed.Reason, actor, _disposed.Token, confirmed.Guard)
                    : await Data.PromoteAsync(Id, target.Id, confirmed.ExpectedProductionDeploymentId, confirmed.Reason, actor, _disposed.Token, confirmed.Guard);
                (_busyDeploymentId, _rollbackBusy) = (null, false);
                if (outcome.Failure is { Field: Failure.ExpectedProductionField } stale)
                {
                    // The page's snapshot is behind as well: reload it, then ask again against what is true now.
                    await ReloadAsync();
                    if (_agent is null) return;
                    moved = $"Production changed before this was applied: it is now {Describe(stale.CurrentProductionDeploymentId)}. Nothing was changed; confirm again.";
                    continue;
                }

                var from = Describe(confirmed.ExpectedProductionDeploymentId);
                var to = outcome.Value is { } d ? Describe(d.Id) : EventText.Label(target, target.Id);
                var watched = confirmed.Guard is { } g ? $" A guard watches it for {Core.Guards.GuardSettings.Duration(g.Window)}." : "";
                Report(outcome, rollback ? "Rolled back" : "Promoted",
                    (rollback ? $"Production is back on {to} (it was {from})." : $"{to} is now in production (it was {from}).") + watched,
                    rollback ? "Roll back failed" : "Promote failed");
                if (outcome.IsSuccess) await LoadGuardAsync();
                return;
            }
        }
        finally
        {
            _busy = false;
            _rollbackBusy = false;
            _busyDeploymentId = null;
        }
    }

    /// <summary>Stops the watching guard (confirmed), keeping production as it is.</summary>
    private async Task AbortGuardAsync()
    {
        if (_busy || _agent is null) return;
        _busy = true;
        try
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync("Stop the guard?",
                "Production stays as it is and nothing will revert it automatically.", yesText: "Stop watching", cancelText: "Keep watching");
            if (confirmed != true) return;
            if (await AuthorizedActorAsync() is not { } actor) return;
            var outcome = await Data.AbortGuardAsync(Id, actor, _disposed.Token);
            if (outcome.Failure is { } failure) Snackbar.Add($"Could not stop the guard: {failure.Detail}", Severity.Error);
            else Snackbar.Add("Guard stopped. Production stays as it is.", Severity.Info);
            await LoadGuardAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private string Describe(Guid? deploymentId) => deploymentId is { } id ? EventText.Label(_deploymentsById.GetValueOrDefault(id), id) : "none";

    private async Task DeleteAsync(DeploymentRow target)
    {
        if (_busy || _agent is null) return;
        _busy = true;
        try
        {
            if (await ConfirmAsync<DeleteDialog>("Delete deployment", new DialogParameters<DeleteDialog> { { x => x.Target, target } })
                is not { } confirmed) return;

            _busyDeploymentId = target.Id;
            StateHasChanged();
            if (await AuthorizedActorAsync() is not { } actor) return;
            var outcome = await Data.DeleteAsync(Id, target.Id, confirmed.Reason, actor, _disposed.Token);
            Report(outcome, "Deleted", $"{EventText.Label(target, target.Id)} was deleted.", "Delete failed");
        }
        finally
        {
            _busy = false;
            _busyDeploymentId = null;
        }
    }

    private Task<bool> CanOperateAsync() => Guard.CanAsync(Policies.Operator);

    /// <summary>The acting user's name for the audit trail, or null (and a notification) when not an operator.</summary>
    private async Task<string?> AuthorizedActorAsync()
    {
        if (await Guard.AuthorizeAsync(Policies.Operator) is { } user) return user.Actor();
        Snackbar.Add("Not allowed: your role can view deployments but not change them.", Severity.Error);
        return null;
    }

    private void Report(Outcome<Deployment> outcome, string summary, string detail, string failureSummary)
    {
        if (outcome.Failure is { } failure) Snackbar.Add($"{failureSummary}: {failure.Detail}", Severity.Error, o => o.VisibleStateDuration = 12000);
        else Snackbar.Add($"{summary}. {detail}", Severity.Success);
    }

    /// <summary>Opens a confirmation dialog; the person's confirmation, or null when they cancelled.</summary>
    private async Task<ConfirmedAction?> ConfirmAsync<TDialog>(string title, DialogParameters<TDialog> parameters) where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, ConfirmOptions);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: ConfirmedAction confirmed } ? confirmed : null;
    }
}
