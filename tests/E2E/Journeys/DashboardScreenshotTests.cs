using System.Net.Http.Json;
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
        await SetThemeAsync(page, theme);
        var suffix = $"{width}-{theme}";
        var phone = width < 600;

        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = agent.Name, Exact = true })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"agents-{suffix}");

        if (phone)
        {
            var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false"); // closed once the drawer knows the width
            await toggle.ClickAsync();
            await Expect(page.Locator(".mud-drawer.mud-drawer--open")).ToHaveCountAsync(1);
            await BrowserFixture.ScreenshotAsync(page, $"menu-open-{suffix}", fullPage: false);
            await page.Mouse.ClickAsync(width - 20, height / 2); // the page under the open menu closes it
            await Expect(page.Locator(".mud-drawer.mud-drawer--open")).ToHaveCountAsync(0);
        }

        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("guard-banner")).ToHaveAttributeAsync("data-status", "Watching");
        await AssertNoPageOverflowAsync(page);
        // The row actions are in view, not scrolled off the table's right edge.
        var table = await page.Locator(".deployments-grid").BoundingBoxAsync();
        var delete = await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {agent.Deployments[0].Label}" }).BoundingBoxAsync();
        Assert.True(delete!.X + delete.Width <= table!.X + table.Width + 1,
            $"Delete ends at {delete.X + delete.Width}px, the deployments table at {table.X + table.Width}px ({width}px window).");
        await BrowserFixture.ScreenshotAsync(page, $"agent-{suffix}");

        var preview = page.GetByRole(AriaRole.Button, new() { Name = $"Preview RPC of {agent.Deployments[3].Label}" });
        await preview.ClickAsync();
        await Expect(page.GetByTestId("preview-curl")).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"agent-preview-rpc-{suffix}");
        await preview.ClickAsync();

        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Promote" }).First,
            d => d.GetByRole(AriaRole.Table, new() { Name = "What changes" }), $"promote-dialog-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true }),
            d => d.GetByRole(AriaRole.Table, new() { Name = "What changes" }), $"rollback-dialog-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Delete {agent.Deployments[0].Label}" }),
            d => d.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }), $"delete-dialog-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Deploy a new version" }),
            d => d.GetByRole(AriaRole.Combobox).Or(d.GetByRole(AriaRole.Alert)).First, $"deploy-dialog-{suffix}", close: "Close");

        await page.GotoAsync("audit");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = agent.Name, Exact = true }).First).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"audit-{suffix}");

        foreach (var (path, heading) in new[] { ("system", "System"), ("tokens", "API tokens"), ("users", "Users"), ("sources", "Sources"), ("provisioning", "Provisioning") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Loading" })).ToHaveCountAsync(0);
            await AssertNoPageOverflowAsync(page);
            await BrowserFixture.ScreenshotAsync(page, $"{path}-{suffix}");
        }

        await page.GotoAsync("notifications");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Exact = true })).ToBeVisibleAsync();
        // The seeded test event was tried against a port nobody listens on: its row shows the retry.
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = $"Deliveries of {SeedNotificationName}" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Connection refused" })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"notifications-{suffix}");
        await page.GetByRole(AriaRole.Button, new() { Name = "New notification" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Webhook URL" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Auto-reverted by a guard" })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"notifications-new-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Remove {SeedNotificationName}" }),
            d => d.GetByRole(AriaRole.Button, new() { Name = "Remove" }), $"remove-notification-dialog-{suffix}");

        await page.GotoAsync("tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "New token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).First).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"tokens-new-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {SeedTokenName}" }),
            d => d.GetByRole(AriaRole.Button, new() { Name = "Revoke" }), $"revoke-dialog-{suffix}");

        await page.GotoAsync("users");
        await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "User name" }).First).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"users-new-{suffix}");
        await ScreenshotDialogAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Delete {SeedUserName}" }),
            d => d.GetByRole(AriaRole.Button, new() { Name = "Delete" }), $"delete-user-dialog-{suffix}");

        await page.GotoAsync($"agents/{Guid.Empty}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agent not found" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"agent-not-found-{suffix}");

        await page.GotoAsync("no/such/page");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"not-found-{suffix}");

        var viewer = await fx.NewPageAsync(await ViewerTokenAsync(), width, height);
        await SetThemeAsync(viewer, theme);
        // Where a signed-in person whose role does not allow a page is sent (the cookie scheme's access-denied path).
        await viewer.GotoAsync("denied");
        await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(viewer, $"denied-{suffix}");

        var anonymous = await fx.NewPageAsync(null, width, height);
        await SetThemeAsync(anonymous, theme);
        await anonymous.GotoAsync("login");
        await Expect(anonymous.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await AssertNoPageOverflowAsync(anonymous);
        await BrowserFixture.ScreenshotAsync(anonymous, $"login-{suffix}");
    }

    private const string SeedTokenName = "ci-pipeline";
    private const string SeedUserName = "grace.hopper";
    private const string SeedNotificationName = "team-alerts";
    private static string? _viewerToken;

    private async Task<string> ViewerTokenAsync() => _viewerToken ??= await JourneyApi.CreateViewerTokenAsync(fx.App);

    private async Task SetThemeAsync(IPage page, string theme) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = "cutover.theme", Value = theme, Url = fx.App.BaseUrl.ToString() }]);

    /// <summary>Opens a dialog with <paramref name="opener"/>, waits for its content, saves the picture, and closes it unchanged.</summary>
    private static async Task ScreenshotDialogAsync(IPage page, ILocator opener, Func<ILocator, ILocator> content, string name, string close = "Cancel")
    {
        await opener.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(content(dialog)).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, name, fullPage: false);
        // The dialog's own button, not the title bar's close icon.
        await dialog.GetByRole(AriaRole.Button, new() { Name = close, Exact = true }).Last.ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
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
            using var client = fx.App.CreateClient();
            // Promoted under a guard (health not required: these seeded agents have no real process to probe), so the
            // agent page shows its guard banner while it watches.
            (await client.PostAsJsonAsync($"api/agents/{main.Id}/deployments/{main.Deployments[2].Id}/promote", new
            {
                reason = "Canary looked good for an hour",
                guard = new { window = "01:00:00", maxErrorRate = 0.02, minRequests = 50, requireHealthy = false },
            })).EnsureSuccessStatusCode();
            // One deployment created for an outside system to start: it waits for its pod.
            (await client.PostAsJsonAsync($"api/agents/{main.Id}/deployments", new { dockerImage = "registry.example.com/checkout-assistant:2.0.0-rc1" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("api/tokens", new { name = SeedTokenName, kind = "personal", role = "Operator" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("api/users", new { userName = SeedUserName, password = "correct-horse-battery-staple-42", role = "Operator" })).EnsureSuccessStatusCode();
            var notification = await client.PostAsJsonAsync("api/notifications", new
            {
                name = SeedNotificationName, url = "http://127.0.0.1:9/hooks/cutover/T0001", secret = "screenshot-secret",
                events = new[] { "promoted", "rolledBack", "autoReverted", "productionUnhealthy", "deployFailed" },
            });
            notification.EnsureSuccessStatusCode();
            var notificationId = (await notification.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
            (await client.PostAsync($"api/notifications/{notificationId}/test", null)).EnsureSuccessStatusCode();
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
