using System.Globalization;
using Cutover.Core.Domain;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>Admin: list, add and delete users. Every action re-checks Admin on the server.</summary>
public sealed partial class Users
{
    private IReadOnlyList<UserSummary>? _users;
    private string? _error;
    private string? _me;
    private bool _showForm;
    private MudMessageBox _confirm = default!;
    private string? _confirmText;

    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject]
    private IAccessClient Access { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

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
            _users = await Access.GetUsersAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            _error = e.Message;
        }
    }

    private async Task OnCreatedAsync(UserSummary user)
    {
        _showForm = false;
        Snackbar.Add($"User created: {user.UserName} ({user.Role})", Severity.Success);
        await LoadAsync();
    }

    private async Task DeleteAsync(UserSummary target)
    {
        _confirmText = $"Delete {target.UserName}? They are signed out within a minute and cannot sign in again.";
        var confirmed = await _confirm.ShowAsync();
        if (confirmed != true) return;

        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            Snackbar.Add("Not allowed: only administrators can delete users.", Severity.Error);
            return;
        }

        var outcome = await Access.DeleteUserAsync(target.Id, user.Actor(), CancellationToken.None);
        if (outcome.IsSuccess) Snackbar.Add($"User deleted: {target.UserName}", Severity.Success);
        else Snackbar.Add($"Could not delete: {outcome.Failure!.Detail}", Severity.Error);
        await LoadAsync();
    }

    private bool IsLastAdmin(UserSummary u) => u.Role == Role.Admin && _users!.Count(x => x.Role == Role.Admin) == 1;

    private static Color RoleColor(Role role) => role switch
    {
        Role.Admin => Color.Error,
        Role.Operator => Color.Primary,
        _ => Color.Default,
    };

    private static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
