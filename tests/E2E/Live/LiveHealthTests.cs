using System.Net;
using System.Net.Http.Json;
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

    private static async Task ReportAsync(HttpClient agent, Guid agentId, string status)
    {
        var response = await agent.PostAsJsonAsync($"api/agents/{agentId}/health", new { status });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
