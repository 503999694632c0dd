using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.E2E.Journeys;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cutover.Tests.E2E.Pages;

/// <summary>
/// What a new user ran into, checked in the real browser: the Agents nav item on agent pages, the phone menu,
/// the admin tables at phone width, the contrast of the danger buttons in both themes, and the System page's words.
/// </summary>
public sealed class DashboardChecksTests(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private const double AaContrast = 4.5;

    [Fact]
    public async Task AgentsNav_OnAnAgentsPage_IsTheHighlightedItem()
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, "nav-agent-" + Guid.NewGuid().ToString("N")[..6], 1);
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });

        var agents = nav.GetByRole(AriaRole.Link, new() { Name = "Agents" });
        var audit = nav.GetByRole(AriaRole.Link, new() { Name = "Audit" });

        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();
        await Expect(agents).ToHaveAttributeAsync("aria-current", "page");
        await page.Mouse.MoveAsync(1200, 700);
        var onAgentPage = await LookAsync(agents);
        var auditInactive = await LookAsync(audit);
        Assert.NotEqual(auditInactive, onAgentPage);

        await audit.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit" })).ToBeVisibleAsync();
        await Expect(agents).Not.ToHaveAttributeAsync("aria-current", "page");
        await page.Mouse.MoveAsync(1200, 700);

        // The highlight on an agent's page is the one MudBlazor gives its own active link (Audit, now); the
        // assertions wait out the hover transition the click left behind.
        await Expect(audit).ToHaveCSSAsync("color", onAgentPage.Color);
        await Expect(audit).ToHaveCSSAsync("background-color", onAgentPage.Background);
        await Expect(agents).ToHaveCSSAsync("color", auditInactive.Color);
        await Expect(agents).ToHaveCSSAsync("background-color", auditInactive.Background);
    }

    /// <summary>A link's colour and background once any transition on it has finished (two reads a frame apart agree).</summary>
    private static async Task<(string Color, string Background)> LookAsync(ILocator link)
    {
        var look = await link.EvaluateAsync<string[]>("""
            async a => {
                const read = () => { const s = getComputedStyle(a); return [s.color, s.backgroundColor]; };
                const frame = () => new Promise(r => requestAnimationFrame(() => r()));
                let last = read();
                for (let i = 0; i < 300; i++) {
                    if (a.getAnimations().length === 0) { await frame(); const now = read(); if (now[0] === last[0] && now[1] === last[1]) return now; last = now; }
                    else { await frame(); last = read(); }
                }
                throw new Error('the link never settled');
            }
            """);
        return (look[0], look[1]);
    }

    [Fact]
    public async Task PhoneMenu_Opened_OverlaysThePageInsteadOfSqueezingIt()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken, 390, 844);
        await page.GotoAsync("system");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "System", Exact = true })).ToBeVisibleAsync();
        var main = page.Locator("main.page");
        var before = await main.BoundingBoxAsync();

        // The layout starts with the menu open and the drawer closes it once it knows the window is narrow.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var drawer = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });
        await Expect(drawer).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-drawer.mud-drawer--open")).ToHaveCountAsync(1);

        var after = await main.BoundingBoxAsync();
        var menu = await page.Locator(".mud-drawer").BoundingBoxAsync();
        Assert.Equal(before!.X, after!.X, 1);
        Assert.Equal(before.Width, after.Width, 1);
        Assert.True(menu!.X + menu.Width > after.X + 100, $"The menu ({menu.X}+{menu.Width}) should lie over the page ({after.X}).");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 1, $"The page is {overflow}px wider than the window with the menu open.");
    }

    [Theory]
    [InlineData("tokens", "API tokens", "Tokens")]
    [InlineData("users", "Users", "Users")]
    public async Task AdminTable_AtPhoneWidth_EveryColumnHasRoomForItsText(string path, string heading, string table)
    {
        await EnsureAUserAsync();
        var page = await fx.NewPageAsync(AppProcess.AdminToken, 390, 844);
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
        var grid = page.Locator($".{path}-grid");
        await Expect(grid.Locator("tbody tr").First).ToBeVisibleAsync();

        // Every cell with text is at least a few characters wide and shows all of its text on the phone.
        var json = await grid.Locator("tbody td").EvaluateAllAsync<string>(
            "cells => JSON.stringify(cells.filter(c => c.innerText.trim().length > 0).map(c => ({ label: c.dataset.label || '', width: c.getBoundingClientRect().width, " +
            "text: c.innerText.trim(), clipped: [...c.querySelectorAll('*')].some(e => e.children.length === 0 && e.innerText && e.getBoundingClientRect().width < 8) })))");
        var cells = JsonSerializer.Deserialize<CellBox[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.NotEmpty(cells);
        Assert.All(cells, c =>
        {
            Assert.True(c.Width >= 120, $"{table} column '{c.Label}' ({c.Text}) is {c.Width}px wide at 390px.");
            Assert.False(c.Clipped, $"{table} column '{c.Label}' ({c.Text}) has text squeezed to nothing.");
        });
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task DangerButtons_BothThemes_TextMeetsAaContrast(string theme)
    {
        var agent = await JourneyApi.RegisterAgentAsync(fx.App, $"contrast-{theme}-{Guid.NewGuid().ToString("N")[..6]}", 3);
        await JourneyApi.PromoteAsync(fx.App, agent.Id, agent.Deployments[1].Id, "for the rollback button");
        var single = await JourneyApi.RegisterAgentAsync(fx.App, $"single-{theme}-{Guid.NewGuid().ToString("N")[..6]}", 1);
        var page = await fx.NewPageAsync(AppProcess.AdminToken);
        await page.Context.AddCookiesAsync([new Cookie { Name = "cutover.theme", Value = theme, Url = fx.App.BaseUrl.ToString() }]);

        await page.GotoAsync($"agents/{agent.Id}");
        await Expect(page.GetByLabel("Production image")).ToBeVisibleAsync();
        var rollBack = page.GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true });
        await Expect(rollBack).ToBeEnabledAsync();
        var deleteOther = page.GetByRole(AriaRole.Button, new() { Name = $"Delete {agent.Deployments[2].Label}" });
        var deleteProduction = page.GetByRole(AriaRole.Button, new() { Name = $"Delete {agent.Deployments[1].Label}" });
        await Expect(deleteProduction).ToBeDisabledAsync();
        var measured = new List<(string, double)>
        {
            ("Roll back", await ContrastAsync(rollBack)),
            ("Delete", await ContrastAsync(deleteOther)),
            ("Delete (production, disabled)", await ContrastAsync(deleteProduction)),
        };

        await page.GotoAsync($"agents/{single.Id}");
        var noTarget = page.GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true });
        await Expect(noTarget).ToBeDisabledAsync();
        measured.Add(("Roll back (nothing to roll back to, disabled)", await ContrastAsync(noTarget)));

        Assert.All(measured, m => Assert.True(m.Item2 >= AaContrast, $"{m.Item1} in the {theme} theme: {m.Item2:0.00}:1, under {AaContrast}:1."));
    }

    [Fact]
    public async Task SystemPage_ReadsLikeAProduct_VersionUptimeDatabaseAndNode()
    {
        var page = await fx.NewPageAsync(AppProcess.AdminToken);

        await page.GotoAsync("system");

        await Expect(page.GetByLabel("Version")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d+\.\d+"));
        await Expect(page.GetByLabel("Uptime")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^(less than a minute|\d+ min|\d+ h \d+ min|\d+ d \d+ h)$"));
        await Expect(page.GetByLabel("Database provider")).ToHaveTextAsync("SQLite");
        // The node's name: Cutover:Node:Name, else host and process id.
        await Expect(page.GetByLabel("Node")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(Environment.MachineName) + @":\d+$"));
        // Product wording: no type names, enum names or raw timestamps on the page.
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("Cutover.Dashboard", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DatabaseProvider", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T\d{2}:", text);
    }

    private async Task EnsureAUserAsync()
    {
        using var client = fx.App.CreateClient();
        var users = await client.GetFromJsonAsync<JsonElement>("api/users");
        if (users.EnumerateArray().Any()) return;
        var response = await client.PostAsJsonAsync("api/users", new { userName = "grace.hopper", password = "correct-horse-battery-staple-42", role = "Operator" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// WCAG contrast of the control's text (its label, or its icon for an icon button) against what is painted
    /// under it: the computed colours, the backgrounds composited up the tree, and the opacity on the way.
    /// </summary>
    private static Task<double> ContrastAsync(ILocator control) => control.EvaluateAsync<double>("""
        el => {
            const target = el.querySelector('.mud-button-label') || el.querySelector('svg') || el;
            const parse = c => {
                let m = c.match(/^rgba?\(([^)]+)\)$/);
                if (m) { const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; }
                m = c.match(/^color\(srgb ([^)]+)\)$/);
                if (m) { const p = m[1].split(/[\s\/]+/).filter(Boolean).map(Number); return { r: p[0] * 255, g: p[1] * 255, b: p[2] * 255, a: p.length > 3 ? p[3] : 1 }; }
                throw new Error('unparsed colour ' + c);
            };
            const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                                             b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
            const layers = [];
            let opacity = 1;
            for (let n = target; n && n.nodeType === 1; n = n.parentElement) {
                const s = getComputedStyle(n);
                opacity *= Number(s.opacity);
                const bg = parse(s.backgroundColor);
                if (bg.a > 0) layers.push(bg);
                if (bg.a >= 1) break;
            }
            let bg = { r: 255, g: 255, b: 255, a: 1 };
            for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
            const fg0 = parse(getComputedStyle(target).color);
            const fg = over({ ...fg0, a: fg0.a * opacity }, bg);
            const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                               return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
            const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            return (hi + 0.05) / (lo + 0.05);
        }
        """);

    private sealed record CellBox(string Label, double Width, string Text, bool Clipped);
}
