using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Pages;

/// <summary>
/// Proves the Blazor circuit works with the build-extracted script: a click runs server code and changes the DOM;
/// a reload starts a fresh circuit that renders again.
/// </summary>
public sealed class SystemPageTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SystemPage_RefreshClick_RunsServerCodeAndReRenders()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync("system");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "System" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Database provider")).ToHaveTextAsync("SQLite");
        await Expect(page.GetByText("refreshed 0 times in this session")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.GetByText("refreshed 1 time in this session")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "system");

        // A reload is a new circuit: the per-circuit counter starts over, so this text proves a fresh server render.
        await page.ReloadAsync();
        await Expect(page.GetByText("refreshed 0 times in this session")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.GetByText("refreshed 1 time in this session")).ToBeVisibleAsync();
    }
}
