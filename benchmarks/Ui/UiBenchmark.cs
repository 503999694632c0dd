using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// The agents overview in a real browser against the real app: first render at 10,000 agents beside 20, search and
/// filter, status change to DOM with many tabs open, server memory per tab and bytes of a first load. Prints each
/// figure with its target and MET or MISS.
/// Usage: <c>dotnet run -c Release --project benchmarks/Ui [-- --size small] [--strict] [--verbose] [--screenshot file.png]</c>. Exit code 1 when a step
/// failed to work (a change never reached a page, a search never showed its row); with <c>--strict</c> also on a MISS.
/// (A class with Main rather than top-level statements: those would declare a second <c>Program</c> beside the app's.)
/// </summary>
internal static class UiBenchmark
{
    /// <summary>The machine's 1, 5 and 15 minute load averages (Linux): timings on a shared machine need them beside.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var size = Size.Parse(args);
        var strict = args.Contains("--strict");
        var total = Stopwatch.StartNew();
        Console.WriteLine($"UI benchmark ({size.Name}): {Environment.ProcessorCount} cores, .NET {Environment.Version}, Chromium through Playwright, loopback; " +
                          $"load average {LoadAverage()}");

        using var baseline = await UiHost.StartAsync(size.BaselineAgents);
        using var large = await UiHost.StartAsync(size.Agents);
        await using var browser = await Browser.LaunchAsync();
        Console.WriteLine($"  apps: {baseline.Address} ({size.BaselineAgents} agents), {large.Address} ({size.Agents:N0} agents); seeded in {total.Elapsed.TotalSeconds:0.0} s");

        var figures = new List<Figure>();
        var failures = new List<string>();

        // Warm-up: one load of each, so JIT and first-request work are not in the figures.
        await (await Overview.FirstLoadAsync(browser, baseline)).Page.Context.CloseAsync();
        await (await Overview.FirstLoadAsync(browser, large)).Page.Context.CloseAsync();

        // 1. First render, side by side (alternating, so a swing in the machine's load hits both alike).
        var small = new List<FirstLoad>();
        var big = new List<FirstLoad>();
        IPage? searchPage = null;
        for (var i = 0; i < size.Renders; i++)
        {
            var (p20, l20) = await Overview.FirstLoadAsync(browser, baseline);
            small.Add(l20);
            await p20.Context.CloseAsync();
            var (pBig, lBig) = await Overview.FirstLoadAsync(browser, large);
            big.Add(lBig);
            if (i == size.Renders - 1) searchPage = pBig;
            else await pBig.Context.CloseAsync();
        }

        var render20 = Stats.Median(small.Select(l => l.RowsOnScreenMs));
        var renderBig = Stats.Median(big.Select(l => l.RowsOnScreenMs));
        Console.WriteLine($"  first render, navigation start to rows on screen (median of {size.Renders}): {size.BaselineAgents} agents {Stats.Ms(render20)} " +
                          $"[{string.Join(", ", small.Select(l => l.RowsOnScreenMs.ToString("0")))}], {size.Agents:N0} agents {Stats.Ms(renderBig)} " +
                          $"[{string.Join(", ", big.Select(l => l.RowsOnScreenMs.ToString("0")))}]; rows in DOM {Stats.Ms(Stats.Median(big.Select(l => l.RowsInDomMs)))}");
        figures.Add(new Figure($"first render at {size.Agents:N0} agents", Stats.Ms(renderBig), "< 1000 ms", renderBig < 1000));
        figures.Add(new Figure($"first render {size.Agents:N0} / {size.BaselineAgents} agents", (renderBig / render20).ToString("0.00") + " x", "<= 3.00 x",
            renderBig <= 3 * render20));

        // 2. Search and filter at the large size (median of several; each from a freshly loaded page).
        var searches = new List<double>();
        var filters = new List<double>();
        var page = searchPage!;
        var firstUnhealthy = Enumerable.Range(0, size.Agents).First(i => Seed.HealthOf(i) == "Unhealthy");
        for (var i = 0; i < size.Searches; i++)
        {
            searches.Add(await Overview.SearchAsync(page, Seed.Name(size.Agents - 1 - i * 37)));
            filters.Add(await Overview.FilterUnhealthyAsync(page, Seed.Name(firstUnhealthy)));
        }

        if (ArgValue(args, "--screenshot") is { } shot)
        {
            // The overview as a person sees it at 1440 px, with a filter set (so every toolbar control shows).
            await page.GotoAsync("?health=Unhealthy", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.EvaluateAsync("() => window.__bench.rowsVisible");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            Console.WriteLine($"  screenshot: {shot}");
        }

        await page.Context.CloseAsync();
        var search = Stats.Median(searches);
        var filter = Stats.Median(filters);
        Console.WriteLine($"  search (input to the one row shown): [{string.Join(", ", searches.Select(s => s.ToString("0")))}] ms; " +
                          $"filter unhealthy (click to rows shown): [{string.Join(", ", filters.Select(s => s.ToString("0")))}] ms");
        figures.Add(new Figure($"search at {size.Agents:N0} agents (median)", Stats.Ms(search), "< 300 ms", search < 300));
        figures.Add(new Figure($"filter at {size.Agents:N0} agents (median)", Stats.Ms(filter), "< 300 ms", filter < 300));

        // 3. Bytes on the wire for a first load (the last measured cold load of the large app).
        var wire = big[^1];
        Console.WriteLine($"  first load: the server wrote {Stats.Kb(wire.WireBytes)} to its connections until rows on screen; the browser counted " +
                          $"{wire.Requests} HTTP responses {Stats.Kb(wire.HttpBytes)} and websocket frames {Stats.Kb(wire.SocketBytesReceived)} after decompression (sent {Stats.Kb(wire.SocketBytesSent)})");
        if (args.Contains("--verbose"))
        {
            foreach (var (url, bytes, encoding) in wire.Responses) Console.WriteLine($"    {Stats.Kb(bytes),10} {encoding ?? "identity",-8} {url}");
            Console.WriteLine($"    websocket frames received: {string.Join(", ", wire.FramesReceived)}");
        }

        figures.Add(new Figure("bytes received for a first load (compressed)", Stats.Kb(wire.WireBytes), "<= 400 KB", wire.WireBytes <= 400 * 1024));

        // 4. Server memory per open tab at the large size.
        var memory = await Memory.PerTabAsync(browser, large, size.MemoryTabs);
        Console.WriteLine($"  memory over {size.MemoryTabs} tabs: managed heap {Stats.Mb(memory.HeapBefore)} -> {Stats.Mb(memory.HeapAfter)}, " +
                          $"working set {Stats.Mb(memory.WorkingSetBefore)} -> {Stats.Mb(memory.WorkingSetAfter)} (after full GC)");
        figures.Add(new Figure($"server managed heap per open tab at {size.Agents:N0} agents", Stats.Mb(memory.HeapPerTab), "<= 2 MB", memory.HeapPerTab <= 2 * 1024 * 1024));
        Console.WriteLine($"  working set per tab {Stats.Mb(memory.WorkingSetPerTab)} (the whole process: includes Playwright's client side)");

        // 5. Status change to DOM: the large app, tab t showing page t of 100 rows, changes over all of them.
        var context = await browser.NewContextAsync(large);
        var tabs = new List<IPage>();
        for (var t = 0; t < size.StatusTabs; t++)
        {
            var tab = await Overview.OpenAsync(context);
            await Overview.ShowPageAsync(tab, t);
            tabs.Add(tab);
        }

        Console.WriteLine($"  load average before the status run: {LoadAverage()}");
        var run = await StatusToDom.RunAsync(large, tabs, size.StatusAgents, size.ChangesPerSecond, size.StatusSeconds);
        await context.CloseAsync();
        var p99 = Stats.Percentile(run.Latencies, 0.99);
        Console.WriteLine($"  status changes: {run.Changes} at {run.AchievedPerSecond:0} /s over {size.StatusAgents:N0} agents (of {size.Agents:N0}), {size.StatusTabs} tabs; " +
                          $"commit to DOM p50 {Stats.Ms(Stats.Percentile(run.Latencies, 0.5))}, p99 {Stats.Ms(p99)}, " +
                          $"min {Stats.Ms(run.Latencies.FirstOrDefault())}, max {Stats.Ms(run.Latencies.LastOrDefault())}; " +
                          $"write (change to commit and publish) median {Stats.Ms(run.WriteMedianMs)}; clock uncertainty ±{run.ClockUncertaintyMs:0.00} ms, drift {run.ClockDriftMs:0.00} ms; missing {run.Missing}");
        figures.Add(new Figure($"status change to DOM p99 ({size.ChangesPerSecond}/s, {size.StatusAgents:N0} agents, {size.StatusTabs} tabs)", Stats.Ms(p99), "<= 250 ms",
            p99 <= 250 && run.Missing == 0));
        Console.WriteLine($"  of which the server (commit to the batch handed over for rendering, {run.ServerHandover.Count} changes): " +
                          $"p50 {Stats.Ms(Stats.Percentile(run.ServerHandover, 0.5))}, p99 {Stats.Ms(Stats.Percentile(run.ServerHandover, 0.99))}; " +
                          "the rest is rendering, the socket and the browser");
        if (run.Missing > 0) failures.Add($"{run.Missing} of {run.Changes} status changes never reached their tab's DOM");
        if (run.AchievedPerSecond < size.ChangesPerSecond * 0.9)
            Console.WriteLine($"  note: the writer reached only {run.AchievedPerSecond:0} changes a second");

        Console.WriteLine();
        Console.WriteLine($"Figures ({size.Name} size; the targets are for the full size):");
        foreach (var f in figures) Console.WriteLine("  " + f);
        foreach (var f in failures) Console.WriteLine("  FAILED: " + f);
        Console.WriteLine($"UI benchmark done in {total.Elapsed.TotalSeconds:0} s");
        return failures.Count > 0 || (strict && figures.Any(f => !f.Met)) ? 1 : 0;
    }
}
