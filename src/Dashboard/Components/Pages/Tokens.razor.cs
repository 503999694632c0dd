using System.Globalization;
using Cutover.Dashboard.Live;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>Admin: create tokens (shown once), list them, revoke with confirmation. Every action re-checks Admin.</summary>
public sealed partial class Tokens
{
    private IReadOnlyList<TokenSummary>? _tokens;
    private CreatedToken? _created;
    private string? _error;
    private bool _showForm;
    private MudMessageBox _confirm = default!;
    private string? _confirmText;

    [Inject]
    private IAccessClient Access { get; set; } = default!;

    [Inject]
    private ActionGuard Guard { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _tokens = await Access.GetTokensAsync(CancellationToken.None);
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
        _confirmText = $"Revoke “{token.Name}” ({token.Prefix}…)? Anything using it stops working on its next request. This cannot be undone.";
        var confirmed = await _confirm.ShowAsync();
        if (confirmed != true) return;

        // Checked after the dialog: the role could have changed while it was open.
        if (await Guard.AuthorizeAsync(Policies.Admin) is not { } user)
        {
            Snackbar.Add("Not allowed: only administrators can revoke tokens.", Severity.Error);
            return;
        }

        var outcome = await Access.RevokeTokenAsync(token.Id, user.Actor(), CancellationToken.None);
        if (outcome.IsSuccess) Snackbar.Add($"Token revoked: {token.Name}", Severity.Success);
        else Snackbar.Add($"Could not revoke: {outcome.Failure!.Detail}", Severity.Error);
        await LoadAsync();
    }

    private static string Stamp(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";
}
