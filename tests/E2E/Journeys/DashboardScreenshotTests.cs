using Cutover.Tests.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Journeys;

/// <summary>
/// Renders each dashboard page at desktop (1440×900) and phone (390×844) sizes in the light and dark themes, checks the
/// page is usable there (heading and main control visible, nothing wider than the window), and saves screenshots
/// for a person to look at.
/// </summary>
public sealed class DashboardScreenshotTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    public static TheoryData<int, int, string> Layouts => new()
    {
        { 1440, 900, "light" },
        { 1440, 900, "dark" },
        { 390, 844, "light" },
        { 390, 844, "dark" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Pages_AtWidthAndTheme_RenderWithoutHorizontalOverflow(int width, int height, string theme)
    {
        var agent = await SeedOnceAsync();
        var page = await fx.NewPageAsync(AppProcess.AdminToken, width, height);
        await page.Context.AddCookiesAsync([new Cookie { Name = "cutover.theme", Value = theme, Url = fx.App.BaseUrl.ToString() }]);
        var suffix = $"{width}-{theme}";

        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = agent.Name, Exact = true })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"agents-{suffix}");

        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"agent-{suffix}");

        var promote = page.GetByRole(AriaRole.Button, new() { Name = "Promote" }).First;
        await promote.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Table, new() { Name = "What changes" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"promote-dialog-{suffix}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await page.GotoAsync("audit");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = agent.Name, Exact = true }).First).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"audit-{suffix}");

        foreach (var (path, heading) in new[] { ("system", "System"), ("tokens", "API tokens"), ("users", "Users") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Loading" })).ToHaveCountAsync(0);
            await AssertNoPageOverflowAsync(page);
            await BrowserFixture.ScreenshotAsync(page, $"{path}-{suffix}");
        }

        await page.GotoAsync($"agents/{Guid.Empty}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agent not found" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"not-found-{suffix}");
    }

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static SeededAgent? _seeded;

    /// <summary>A handful of agents in different states, seeded once for the four layouts.</summary>
    private async Task<SeededAgent> SeedOnceAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (_seeded is not null) return _seeded;
            foreach (var name in new[] { "catalog-agent", "returns-agent", "support-triage" })
                await JourneyApi.RegisterAgentAsync(fx.App, name, 2);
            var main = await JourneyApi.RegisterAgentAsync(fx.App, "checkout-assistant", 4);
            await JourneyApi.PromoteAsync(fx.App, main.Id, main.Deployments[2].Id, "Canary looked good for an hour");
            _seeded = main;
            return main;
        }
        finally
        {
            SeedLock.Release();
        }
    }

    private static async Task AssertNoPageOverflowAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 1, $"The page is {overflow}px wider than the window at {page.ViewportSize?.Width}px.");
    }
}
