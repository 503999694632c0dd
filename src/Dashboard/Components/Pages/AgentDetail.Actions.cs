using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Core.Results;
using Cutover.Dashboard.Components.Agents;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Promote, roll back and delete. Each asks for confirmation, re-checks the Operator policy on the server right
/// before calling Core (hidden buttons are not a security boundary), runs one action at a time, and reports the
/// outcome: on failure the Failure's own detail, which says what to do.
/// </summary>
public sealed partial class AgentDetail
{
    private static readonly DialogOptions ConfirmOptions = new() { Width = "min(600px, 94vw)", CloseDialogOnEsc = true, ShowClose = true };

    private bool _canOperate;
    private bool _busy;
    private Guid? _busyDeploymentId;
    private bool _rollbackBusy;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    /// <summary>Opens the deploy dialog; it re-checks Operator itself and shows progress until Ready or Failed.</summary>
    private async Task DeployAsync()
    {
        if (_busy || _agent is null) return;
        var latest = _deployments?.FirstOrDefault()?.Image;
        var parameters = new Dictionary<string, object?> { ["AgentId"] = Id, ["Image"] = latest };
        await Dialogs.OpenAsync<Runtime.DeployDialog>("Deploy a new version", parameters,
            new DialogOptions { Width = "min(720px, 96vw)", CloseDialogOnEsc = true, ShowClose = true });
        await RefreshAsync();
    }

    private async Task PromoteAsync(DeploymentRow target)
    {
        if (_busy || _agent is null) return;
        _busy = true;
        try
        {
            var parameters = new Dictionary<string, object?> { ["Target"] = target, ["Now"] = Time.GetUtcNow().UtcDateTime };
            if (_agent.Production is { } current) parameters["Current"] = current;
            if (await Dialogs.OpenAsync<PromoteDialog>("Promote to production", parameters, ConfirmOptions) is not ConfirmedAction confirmed) return;

            _busyDeploymentId = target.Id;
            StateHasChanged();
            if (await AuthorizedActorAsync() is not { } actor) return;
            var outcome = await Deployments.PromoteAsync(Id, target.Id, confirmed.Reason, actor, _disposed.Token);
            Report(outcome, "Promoted", $"{EventText.Label(target, target.Id)} is now in production.", "Promote failed");
            await RefreshAsync();
        }
        finally
        {
            _busy = false;
            _busyDeploymentId = null;
        }
    }

    private async Task RollbackAsync()
    {
        if (_busy || _agent is null || _rollbackTarget is not { } target) return;
        _busy = true;
        try
        {
            var parameters = new Dictionary<string, object?> { ["Target"] = target, ["Now"] = Time.GetUtcNow().UtcDateTime, ["Rollback"] = true };
            if (_agent.Production is { } current) parameters["Current"] = current;
            if (await Dialogs.OpenAsync<PromoteDialog>("Roll back production", parameters, ConfirmOptions) is not ConfirmedAction confirmed) return;

            _rollbackBusy = true;
            StateHasChanged();
            if (await AuthorizedActorAsync() is not { } actor) return;
            // Name the target the person confirmed: if production moved meanwhile, "the previous one" may differ.
            var outcome = await Deployments.RollbackAsync(Id, target.Id, confirmed.Reason, actor, _disposed.Token);
            Report(outcome, "Rolled back", $"Production is back on {EventText.Label(target, target.Id)}.", "Roll back failed");
            await RefreshAsync();
        }
        finally
        {
            _busy = false;
            _rollbackBusy = false;
        }
    }

    private async Task DeleteAsync(DeploymentRow target)
    {
        if (_busy || _agent is null) return;
        _busy = true;
        try
        {
            var parameters = new Dictionary<string, object?> { ["Target"] = target };
            if (await Dialogs.OpenAsync<DeleteDialog>("Delete deployment", parameters, ConfirmOptions) is not ConfirmedAction confirmed) return;

            _busyDeploymentId = target.Id;
            StateHasChanged();
            if (await AuthorizedActorAsync() is not { } actor) return;
            var outcome = await Deployments.DeleteAsync(Id, target.Id, confirmed.Reason, actor, _disposed.Token);
            Report(outcome, "Deleted", $"{EventText.Label(target, target.Id)} was deleted.", "Delete failed");
            await RefreshAsync();
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
        Notifications.Notify(new NotificationMessage
        {
            Severity = NotificationSeverity.Error,
            Summary = "Not allowed",
            Detail = "Your role can view deployments but not change them.",
            Duration = 8000,
        });
        return null;
    }

    private void Report(Outcome<Deployment> outcome, string summary, string detail, string failureSummary)
    {
        Notifications.Notify(outcome.Failure is { } failure
            ? new NotificationMessage { Severity = NotificationSeverity.Error, Summary = failureSummary, Detail = failure.Detail, Duration = 12000 }
            : new NotificationMessage { Severity = NotificationSeverity.Success, Summary = summary, Detail = detail, Duration = 5000 });
    }
}
