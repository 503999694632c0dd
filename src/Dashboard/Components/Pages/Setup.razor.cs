using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// First run: with the one-time code the server printed at start-up, create the first admin and sign them in.
/// Refused (403) once any user exists or without the right code, so it can never be used to add a second admin.
/// </summary>
public sealed partial class Setup
{
    private string? _error;
    private string? _refusal;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private UserAccounts Users { get; set; } = default!;

    [Inject]
    private SetupCode Code { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "code")]
    private string? CodeText { get; set; }

    [SupplyParameterFromForm(FormName = "setup")]
    private SetupInput? Input { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Input ??= new SetupInput();
        if (await Users.AnyAsync(HttpContext.RequestAborted))
        {
            Code.Revoke();
            Refuse("Setup is complete: this server already has users. Sign in, or ask an administrator for an account.");
        }
        else if (!Code.Matches(CodeText))
        {
            Refuse("This setup link is not valid. Use the link the server printed in its log at start-up; it works once and changes when the server restarts.");
        }
    }

    private async Task CreateAsync()
    {
        if (_refusal is not null) return;
        var input = Input!;
        var userName = input.UserName?.Trim() ?? "";
        _error = UserAccounts.ValidateUserName(userName)
            ?? PasswordPolicy.Check(input.Password, userName)
            ?? (input.Password == input.Confirm ? null : "The two passwords differ.");
        if (_error is not null) return;

        // Checked above without using it up, so a typo does not burn the code; used up here, by exactly one request.
        if (!Code.TryConsume(CodeText))
        {
            Refuse("This setup link was just used. Sign in with the administrator that was created.");
            return;
        }

        var outcome = await Users.CreateAsync(userName, input.Password, Role.Admin, "setup", HttpContext.RequestAborted, onlyIfNoUsers: true);
        if (!outcome.IsSuccess)
        {
            Refuse(outcome.Failure!.Detail);
            return;
        }

        var user = new User(outcome.Value!.Id, outcome.Value.UserName, "", Role.Admin, outcome.Value.CreatedAt);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PasswordSignIn.CreatePrincipal(user));
        Navigation.NavigateTo("/", forceLoad: true);
    }

    private void Refuse(string message)
    {
        _refusal = message;
        HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    private sealed class SetupInput
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? Confirm { get; set; }
    }
}
