using Microsoft.Playwright;

namespace Cutover.Tests.E2E.Infrastructure;

/// <summary>
/// One Chromium for the test run: the system's Debian Chromium (/usr/bin/chromium, or CUTOVER_CHROMIUM), falling
/// back to Playwright's own browsers where those are installed. Plus the real app, started once per test class.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "CUTOVER_CHROMIUM";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public AppProcess App { get; private set; } = default!;

    /// <summary>Extra app settings a derived fixture may supply.</summary>
    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        App = await AppProcess.StartAsync(Settings);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Headless Chromium as every browser test runs it: Debian's (or CUTOVER_CHROMIUM), else Playwright's own.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        var options = new BrowserTypeLaunchOptions
        {
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        };
        var path = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (string.IsNullOrEmpty(path) && File.Exists("/usr/bin/chromium")) path = "/usr/bin/chromium";
        if (!string.IsNullOrEmpty(path)) options.ExecutablePath = path;
        return playwright.Chromium.LaunchAsync(options);
    }

    /// <summary>A fresh browser context (own cookies) at 1280×800, optionally authenticated with a bearer token.</summary>
    public async Task<IPage> NewPageAsync(string? bearerToken = null, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = bearerToken is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + bearerToken },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves a picture to <see cref="RepoPaths.Screenshots"/>. A full-page one is taken with the window as tall as the
    /// page, so what is fixed to the window (the navigation drawer) is drawn as a tall window shows it, not cut at the
    /// first screen; dialogs (centred in the window) are taken as the window shows them. Animations (a dialog
    /// zooming in) are finished first, so the picture shows what settles.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        var path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        var window = page.ViewportSize;
        var height = fullPage ? await page.EvaluateAsync<int>("document.documentElement.scrollHeight") : 0;
        if (window is null || height <= window.Height)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
            return;
        }

        await page.SetViewportSizeAsync(window.Width, height);
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        }
        finally
        {
            await page.SetViewportSizeAsync(window.Width, window.Height);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }
}
