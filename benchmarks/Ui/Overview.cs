using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Cutover.Benchmarks.Ui;

/// <summary>What one first load of the overview cost: times from navigation start, and what came over the wire.</summary>
/// <param name="WireBytes">What the server wrote to its connections from navigation to rows on screen (compressed, as sent).</param>
/// <param name="HttpBytes">The browser's count of HTTP responses (headers and bodies).</param>
/// <param name="SocketBytesReceived">The browser's count of websocket payload received, after decompression.</param>
internal sealed record FirstLoad(double RowsInDomMs, double RowsOnScreenMs, long WireBytes, long HttpBytes, long SocketBytesReceived, long SocketBytesSent, int Requests)
{
    /// <summary>Each response (address, bytes, content encoding) and each received frame's size, for <c>--verbose</c>.</summary>
    public IReadOnlyList<(string Url, long Bytes, string? Encoding)> Responses { get; init; } = [];

    public IReadOnlyList<int> FramesReceived { get; init; } = [];

}

/// <summary>Steps on the agents overview in one page, timed by the probe inside the page.</summary>
internal static class Overview
{
    /// <summary>
    /// Opens the overview in a fresh context (empty cache: a first load) and waits until its rows are in the DOM and
    /// on screen. Counts every HTTP response (headers and the body as sent, compressed) and every websocket frame
    /// until then.
    /// </summary>
    public static async Task<(IPage Page, FirstLoad Load)> FirstLoadAsync(Browser browser, UiHost host)
    {
        var context = await browser.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var sizes = new List<Task<(string, long, string?)>>();
        var frames = new List<int>();
        long socketIn = 0, socketOut = 0;
        page.RequestFinished += (_, request) =>
        {
            lock (sizes) sizes.Add(SizeOfAsync(request));
        };
        page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, f) =>
            {
                var n = f.Binary?.Length ?? Encoding.UTF8.GetByteCount(f.Text ?? "");
                if (Environment.GetEnvironmentVariable("CUTOVER_BENCH_FRAMES") is { Length: > 0 } dir && n > 50_000)
                    File.WriteAllBytes(Path.Combine(dir, $"frame-{n}.bin"), f.Binary ?? Encoding.UTF8.GetBytes(f.Text ?? ""));
                Interlocked.Add(ref socketIn, n);
                lock (frames) frames.Add(n);
            };
            socket.FrameSent += (_, f) => Interlocked.Add(ref socketOut, f.Binary?.Length ?? Encoding.UTF8.GetByteCount(f.Text ?? ""));
        };
        var wireBefore = host.Wire.Sent;
        await page.GotoAsync("", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        var visible = await page.EvaluateAsync<JsonElement>("() => window.__bench.rowsVisible");
        var wire = host.Wire.Sent - wireBefore;
        // One more round trip, so the frame events that came before the rows have reached this side.
        await page.EvaluateAsync("() => 0");
        long received = Interlocked.Read(ref socketIn), sent = Interlocked.Read(ref socketOut);
        Task<(string, long, string?)>[] pending;
        lock (sizes) pending = [.. sizes];
        var responses = await Task.WhenAll(pending);
        int[] framesSoFar;
        lock (frames) framesSoFar = [.. frames];
        return (page, new FirstLoad(visible.GetProperty("dom").GetDouble(), visible.GetProperty("frame").GetDouble(), wire, responses.Sum(r => r.Item2),
            received, sent, pending.Length) { Responses = responses, FramesReceived = framesSoFar });
    }

    /// <summary>Opens the overview in an existing context and waits for its rows.</summary>
    public static async Task<IPage> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.EvaluateAsync("() => window.__bench.rowsVisible");
        return page;
    }

    /// <summary>Types <paramref name="term"/> into the search box; ms from the input event to the DOM showing exactly that agent.</summary>
    public static async Task<double> SearchAsync(IPage page, string term)
    {
        await page.EvaluateAsync($"() => window.__bench.arm(b => {{ const r = b.rows(); return r.length === 1 && r[0][0] === {Js(term)}; }})");
        await page.Locator(".toolbar-search input").FillAsync(term);
        var ms = await ArmedAsync(page, "inputAt", $"searching '{term}'");
        await ClearAsync(page);
        return ms;
    }

    /// <summary>Clicks the "unhealthy" count; ms from the click to the DOM showing only unhealthy agents, from the first one.</summary>
    public static async Task<double> FilterUnhealthyAsync(IPage page, string firstUnhealthy)
    {
        await page.EvaluateAsync(
            $"() => window.__bench.arm(b => {{ const r = b.rows(); return r.length > 0 && r[0][0] === {Js(firstUnhealthy)} && r.every(x => x[1] === 'Unhealthy'); }})");
        await page.GetByLabel("Show unhealthy agents").ClickAsync();
        var ms = await ArmedAsync(page, "clickAt", "filtering unhealthy agents");
        await ClearAsync(page);
        return ms;
    }

    /// <summary>Back to the unfiltered first page (not timed).</summary>
    private static async Task ClearAsync(IPage page)
    {
        await page.GotoAsync("", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.EvaluateAsync("() => window.__bench.rowsVisible");
    }

    /// <summary>Shows <see cref="Size.RowsPerTab"/> rows and goes to page <paramref name="index"/> (0-based) through the pager.</summary>
    public static async Task ShowPageAsync(IPage page, int index)
    {
        await page.Locator(".mud-table-pagination-select").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(Size.RowsPerTab.ToString(), new() { Exact = true }).ClickAsync();
        await WaitFirstRowAsync(page, 0, Size.RowsPerTab);
        for (var p = 1; p <= index; p++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
            await WaitFirstRowAsync(page, p * Size.RowsPerTab, Size.RowsPerTab);
        }
    }

    /// <summary>Waits (bounded) for the armed condition; ms from the recorded start event to it.</summary>
    private static async Task<double> ArmedAsync(IPage page, string start, string what)
    {
        try
        {
            var done = await page.WaitForFunctionAsync($"() => window.__bench.armedAt !== null && window.__bench.armedAt - window.__bench.{start}",
                null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            return await done.JsonValueAsync<double>();
        }
        catch (TimeoutException)
        {
            var rows = await page.EvaluateAsync<string>("() => JSON.stringify(window.__bench.rows().slice(0, 5))");
            var shot = Path.Combine(Path.GetTempPath(), "cutover-ui-benchmark-failure.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            throw new InvalidOperationException($"The overview never showed the result of {what} (url {page.Url}, first rows {rows}; screenshot {shot}).");
        }
    }

    private static async Task WaitFirstRowAsync(IPage page, int first, int count) =>
        await page.WaitForFunctionAsync(
            $"() => {{ const r = window.__bench.rows(); return r.length === {count} && r[0][0] === {Js(Seed.Name(first))}; }}");

    private static async Task<(string, long, string?)> SizeOfAsync(IRequest request)
    {
        var sizes = await request.SizesAsync();
        var response = await request.ResponseAsync();
        var encoding = response is null ? null : await response.HeaderValueAsync("content-encoding");
        return (request.Url, Math.Max(0, sizes.ResponseHeadersSize) + Math.Max(0, sizes.ResponseBodySize), encoding);
    }

    private static string Js(string s) => JsonSerializer.Serialize(s);
}
