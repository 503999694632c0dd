using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Live;

/// <summary>
/// The live path end to end: an agent reports its health over HTTP with its own token, and a page that is already
/// open shows the badge change, without a reload.
/// </summary>
public sealed class LiveHealthTests(LiveFixture fx) : IClassFixture<LiveFixture>
{
    [Fact]
    public async Task SystemPage_AgentReportsHealth_OpenPagesBadgeChangesWithoutReload()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync("system");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live changes" })).ToBeVisibleAsync();
        // A marker on the window: it survives only if the page is never reloaded.
        await page.EvaluateAsync("() => window.__cutoverMarker = 'still-here'");

        var name = "e2e-live-" + Guid.NewGuid().ToString("N")[..6];
        var agentId = await LiveSeed.AgentAsync(fx.App, name);
        using var agent = fx.App.CreateClient(await LiveSeed.AgentTokenAsync(fx.App, name));
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Live agent status" })
            .GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = name, Exact = true }) });

        await ReportAsync(agent, agentId, "Healthy");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Healthy" })).ToBeVisibleAsync();

        await ReportAsync(agent, agentId, "Unhealthy");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Unhealthy" })).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Healthy" })).ToHaveCountAsync(0);

        Assert.Equal("still-here", await page.EvaluateAsync<string>("() => window.__cutoverMarker"));
        await BrowserFixture.ScreenshotAsync(page, "live-health");
    }

    [Fact]
    public async Task AgentsOverview_AgentReportsHealth_RowBadgeChangesWithoutReload()
    {
        var name = "e2e-row-" + Guid.NewGuid().ToString("N")[..6];
        var agentId = await LiveSeed.AgentAsync(fx.App, name);
        using var agent = fx.App.CreateClient(await LiveSeed.AgentTokenAsync(fx.App, name));
        await ReportAsync(agent, agentId, "Healthy");

        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync("");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Search agents by name" }).FillAsync(name);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Healthy" })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.__cutoverMarker = 'still-here'");

        // The row the grid already shows is patched in place from the published change.
        await ReportAsync(agent, agentId, "Unhealthy");
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Unhealthy" })).ToBeVisibleAsync();

        Assert.Equal("still-here", await page.EvaluateAsync<string>("() => window.__cutoverMarker"));
    }

    [Fact]
    public async Task AgentPage_LeftOpen_LastSeenAgesThenFollowsTheNextReport()
    {
        var name = "e2e-seen-" + Guid.NewGuid().ToString("N")[..6];
        var agentId = await LiveSeed.AgentAsync(fx.App, name);
        using var agent = fx.App.CreateClient(await LiveSeed.AgentTokenAsync(fx.App, name));
        await ReportAsync(agent, agentId, "Healthy");

        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.GotoAsync($"agents/{agentId}");
        var lastSeen = page.Locator("span", new() { HasText = "Last seen" }).Locator("time");
        await Expect(lastSeen).ToHaveTextAsync("just now");
        await page.EvaluateAsync("() => window.__cutoverMarker = 'still-here'");

        // Nothing reports: the page's clock (a tick every 10 s) makes the same stored time read older.
        var slow = new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 };
        await Expect(lastSeen).ToHaveTextAsync(new Regex(@"^\d+ s ago$"), slow);

        // An unchanged report only stamps "last seen" (nothing is published); the next tick shows it.
        await ReportAsync(agent, agentId, "Healthy");
        await Expect(lastSeen).ToHaveTextAsync("just now", slow);

        Assert.Equal("still-here", await page.EvaluateAsync<string>("() => window.__cutoverMarker"));
    }

    private static async Task ReportAsync(HttpClient agent, Guid agentId, string status)
    {
        var response = await agent.PostAsJsonAsync($"api/agents/{agentId}/health", new { status });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
