using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Security;

/// <summary>
/// A person, in a real browser against the real app: creates the first admin with the printed setup code, signs
/// out and in, adds an operator, creates a token that is shown once, revokes it, and signs out.
/// </summary>
public sealed class SignInFlowTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Person_SetsUpSignsInCreatesOperatorAndToken_SignsOut()
    {
        var page = await fx.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) cspViolations.Add(m.Text); };

        // First run: the setup link from the server log creates the first admin and signs them in.
        var code = await Accounts.SetupCodeAsync(fx.App);
        await page.GotoAsync($"setup?code={code}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync("ada");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Accounts.Password);
        await page.GetByLabel("Confirm password").FillAsync(Accounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // Sign out, then a wrong password shows the error on the page, then the right one signs in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync("ada");
        await page.GetByLabel("Password").FillAsync("not my password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Another alert (Blazor's reconnect banner on a loaded machine) may show beside it: find this one by its text.
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The user name or password is not correct." })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "login-error");
        await page.GotoAsync("login");
        await BrowserFixture.ScreenshotAsync(page, "login");
        await Accounts.SignInAsync(page, "ada", Accounts.Password);

        // Users: add an operator.
        await page.GotoAsync("users");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
        await page.GetByLabel("User name").FillAsync("grace");
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByText("The password must be at least 12 characters long")).ToBeVisibleAsync();
        await page.GetByLabel("Password").FillAsync("analytical engine notes 1843");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "grace" })).ToContainTextAsync("Operator");
        await BrowserFixture.ScreenshotAsync(page, "users");

        // Tokens: create one, see it once, prove it works, revoke it.
        await page.GotoAsync("tokens");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API tokens" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New token" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("deploy-script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var shown = page.GetByTestId("new-token-text");
        await Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^cut_pat_[A-Za-z0-9_-]{43}$"));
        var token = await shown.InnerTextAsync();
        await BrowserFixture.ScreenshotAsync(page, "tokens");

        using (var api = fx.App.CreateClient(token))
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("system")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(shown).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "deploy-script" })).ToContainTextAsync("Active");
        Assert.DoesNotContain(token, await page.ContentAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke deploy-script" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("stops working on its next request");
        await BrowserFixture.ScreenshotAsync(page, "tokens-revoke-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "deploy-script" })).ToContainTextAsync("Revoked");
        await BrowserFixture.ScreenshotAsync(page, "tokens-list");
        using (var api = fx.App.CreateClient(token))
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/tokens")).StatusCode);

        // The operator signs in elsewhere and is not offered the admin pages.
        var operatorPage = await fx.NewPageAsync();
        await Accounts.SignInAsync(operatorPage, "grace", "analytical engine notes 1843");
        await Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "Tokens" })).ToHaveCountAsync(0);
        await operatorPage.GotoAsync("tokens");
        await Expect(operatorPage.GetByText("Access denied")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync("tokens");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task BlazorWebSocket_ForeignOrigin_RefusedByRealKestrel()
    {
        using var http = fx.App.CreateClient();
        var negotiate = await http.PostAsync("_blazor/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        var url = new Uri(fx.App.BaseUrl.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + $"_blazor?id={id}");

        using var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        foreign.Options.SetRequestHeader("Authorization", "Bearer " + AppProcess.AdminToken);
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var same = new ClientWebSocket();
        same.Options.SetRequestHeader("Origin", fx.App.BaseUrl.GetLeftPart(UriPartial.Authority));
        same.Options.SetRequestHeader("Authorization", "Bearer " + AppProcess.AdminToken);
        await same.ConnectAsync(url, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, same.State);
    }
}
