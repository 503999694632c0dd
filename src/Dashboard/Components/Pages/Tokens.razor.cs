using System.Globalization;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>Admin: create tokens (shown once), list them, revoke with confirmation. Every action re-checks Admin.</summary>
public sealed partial class Tokens
{
    private IReadOnlyList<TokenSummary>? _tokens;
    private CreatedToken? _created;
    private string? _error;
    private bool _showForm;

    [Inject]
    private ApiTokens ApiTokens { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _tokens = await ApiTokens.ListAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    private async Task OnCreatedAsync(CreatedToken created)
    {
        _created = created;
        _showForm = false;
        await LoadAsync();
    }

    private async Task RevokeAsync(TokenSummary token)
    {
        var confirmed = await Dialogs.Confirm(
            $"Revoke “{token.Name}” ({token.Prefix}…)? Anything using it stops working on its next request. This cannot be undone.",
            "Revoke token", new ConfirmOptions { OkButtonText = "Revoke", CancelButtonText = "Cancel" });
        if (confirmed != true) return;

        // Checked after the dialog: the role could have changed while it was open.
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", "Only administrators can revoke tokens.");
            return;
        }

        var outcome = await ApiTokens.RevokeAsync(token.Id, user.Actor(), CancellationToken.None);
        if (outcome.IsSuccess) Notifications.Notify(NotificationSeverity.Success, "Token revoked", token.Name);
        else Notifications.Notify(NotificationSeverity.Error, "Could not revoke", outcome.Failure!.Detail);
        await LoadAsync();
    }

    private static string Stamp(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";
}
