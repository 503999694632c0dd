using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, or CUTOVER_CHROMIUM) through Playwright, launched as the browser tests
/// launch it, with a signed-in viewer per app: one sign-in through the real form, whose cookie every later context
/// reuses (so sign-in is not part of what is measured).
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private const string Password = "correct horse battery staple";

    private static readonly string Probe = ReadProbe();

    private readonly IPlaywright _playwright;
    private readonly Dictionary<Uri, string> _signedIn = [];

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var options = new BrowserTypeLaunchOptions
        {
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                // Background tabs would otherwise have their timers and frames throttled: every tab is watched.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            ],
        };
        var path = Environment.GetEnvironmentVariable("CUTOVER_CHROMIUM");
        if (string.IsNullOrEmpty(path) && File.Exists("/usr/bin/chromium")) path = "/usr/bin/chromium";
        if (!string.IsNullOrEmpty(path)) options.ExecutablePath = path;
        return new Browser(playwright, await playwright.Chromium.LaunchAsync(options));
    }

    /// <summary>A fresh context (own cache: a first load) signed in to <paramref name="host"/>, with the probe installed.</summary>
    public async Task<IBrowserContext> NewContextAsync(UiHost host)
    {
        var state = await SignedInStateAsync(host);
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            StorageState = state,
        });
        context.SetDefaultTimeout(30_000);
        await context.AddInitScriptAsync(Probe);
        return context;
    }

    private async Task<string> SignedInStateAsync(UiHost host)
    {
        if (_signedIn.TryGetValue(host.Address, out var state)) return state;
        using (var admin = new HttpClient { BaseAddress = host.Address })
        {
            admin.DefaultRequestHeaders.Authorization = new("Bearer", UiHost.Token);
            var created = await admin.PostAsJsonAsync("api/users", new { userName = "bench-viewer", password = Password, role = "Viewer" });
            if (created.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Creating the viewer failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        await using var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.GetByLabel("User name").FillAsync("bench-viewer");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync(new() { Timeout = 30_000 });
        state = await context.StorageStateAsync();
        _signedIn[host.Address] = state;
        return state;
    }

    private static string ReadProbe()
    {
        using var stream = typeof(Browser).Assembly.GetManifestResourceStream("probe.js")
            ?? throw new InvalidOperationException("probe.js is not embedded.");
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
