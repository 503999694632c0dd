using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Infrastructure;

/// <summary>People in browser tests: create them through the API, sign them in through the real form.</summary>
public static partial class Accounts
{
    /// <summary>A password that meets the policy, for test users.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Creates a user through <c>POST /api/users</c> with the bootstrap admin token; returns its id.</summary>
    public static async Task<Guid> CreateUserAsync(AppProcess app, string userName, string role = "Operator", string password = Password)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("api/users", new { userName, password, role });
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Creating user {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await response.Content.ReadFromJsonAsync<CreatedUser>();
        return created!.Id;
    }

    /// <summary>Signs in through /login like a person and waits until the dashboard shows them signed in.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(LoginUrl());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>The one-time setup code the app printed at start-up (first run, no users), waiting for it to appear.</summary>
    public static async Task<string> SetupCodeAsync(AppProcess app, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var match = app.Output.Select(l => SetupCode().Match(l)).FirstOrDefault(m => m.Success);
            if (match is not null) return match.Groups[1].Value;
            await Task.Delay(100, cts.Token);
        }
    }

    [GeneratedRegex(@"/login(\?|$)")]
    private static partial Regex LoginUrl();

    [GeneratedRegex(@"/setup\?code=([0-9a-f]+)")]
    private static partial Regex SetupCode();

    private sealed record CreatedUser(Guid Id, string UserName, string Role);
}
