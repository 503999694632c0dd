using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// Cookie sign-in. A statically rendered form post (not a circuit), because only an HTTP response can set the cookie.
/// POSTs are rate limited per remote address (<see cref="RateLimits"/>) and accounts lock after repeated failures.
/// </summary>
public sealed partial class Login
{
    private string? _error;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private PasswordSignIn SignIn { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "login")]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery(Name = "returnUrl")]
    private string? ReturnUrl { get; set; }

    protected override void OnInitialized() => Input ??= new LoginInput();

    private async Task SignInAsync()
    {
        var result = await SignIn.SignInAsync(Input!.UserName, Input.Password, RateLimits.RemoteAddress(HttpContext),
            HttpContext.RequestAborted);
        Input.Password = null;
        if (!result.Succeeded)
        {
            _error = result.Error;
            return;
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
        Navigation.NavigateTo(LocalReturnUrl(ReturnUrl), forceLoad: true);
    }

    /// <summary>Only a path on this site: "//evil.example" or "/\evil.example" would send the person elsewhere.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";

    private sealed class LoginInput
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }
    }
}
