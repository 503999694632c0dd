using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.E2E.Journeys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Live;

/// <summary>The server goes away under an open page: the page must stop looking live.</summary>
public sealed class OfflineTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OpenAgentPage_ServerStops_LiveMarksSayReconnectingAndBadgesGreyOut()
    {
        // Its own app: this test kills it (the fixture's app serves the other tests of the class fixture).
        var app = await AppProcess.StartAsync();
        var agent = await JourneyApi.RegisterAgentAsync(app, "offline-agent", 2);
        var context = await fx.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + AppProcess.AdminToken },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();
        var header = page.Locator(".agent-header");
        await Expect(header.GetByRole(AriaRole.Status).GetByText("Live", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(header.GetByText("Reconnecting")).ToBeHiddenAsync();

        await app.DisposeAsync(); // the server process is killed: the circuit's connection drops

        var slow = new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 };
        await Expect(header.GetByText("Reconnecting · last update")).ToBeVisibleAsync(slow);
        await Expect(header.GetByText("Live", new() { Exact = true })).ToBeHiddenAsync();
        await Expect(page.Locator("html")).Not.ToHaveAttributeAsync("data-live", "live");
        var badge = header.Locator(".status-badge").First;
        Assert.Equal("grayscale(1)", await badge.EvaluateAsync<string>("e => getComputedStyle(e).filter"));
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Connection lost" })
            .Or(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Disconnected" }))).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "agent-offline-1440");
    }
}
