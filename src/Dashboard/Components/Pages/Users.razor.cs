using System.Globalization;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Radzen;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>Admin: list, add and delete users. Every action re-checks Admin on the server.</summary>
public sealed partial class Users
{
    private IReadOnlyList<UserSummary>? _users;
    private string? _error;
    private string? _me;
    private bool _showForm;

    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject]
    private UserAccounts Accounts { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _me = (await AuthState).User.Identity?.Name;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _users = await Accounts.ListAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    private async Task OnCreatedAsync(UserSummary user)
    {
        _showForm = false;
        Notifications.Notify(NotificationSeverity.Success, "User created", $"{user.UserName} ({user.Role})");
        await LoadAsync();
    }

    private async Task DeleteAsync(UserSummary target)
    {
        var confirmed = await Dialogs.Confirm($"Delete {target.UserName}? They are signed out within a minute and cannot sign in again.",
            "Delete user", new ConfirmOptions { OkButtonText = "Delete", CancelButtonText = "Cancel" });
        if (confirmed != true) return;

        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", "Only administrators can delete users.");
            return;
        }

        var outcome = await Accounts.DeleteAsync(target.Id, user.Actor(), CancellationToken.None);
        if (outcome.IsSuccess) Notifications.Notify(NotificationSeverity.Success, "User deleted", target.UserName);
        else Notifications.Notify(NotificationSeverity.Error, "Could not delete", outcome.Failure!.Detail);
        await LoadAsync();
    }

    private bool IsLastAdmin(UserSummary u) => u.Role == Role.Admin && _users!.Count(x => x.Role == Role.Admin) == 1;

    private static BadgeStyle RoleStyle(Role role) => role switch
    {
        Role.Admin => BadgeStyle.Danger,
        Role.Operator => BadgeStyle.Primary,
        _ => BadgeStyle.Base,
    };

    private static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
