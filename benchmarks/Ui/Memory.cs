using System.Diagnostics;

namespace Cutover.Benchmarks.Ui;

internal sealed record MemoryRun(int Tabs, long HeapBefore, long HeapAfter, long WorkingSetBefore, long WorkingSetAfter)
{
    public double HeapPerTab => (HeapAfter - HeapBefore) / (double)Tabs;

    public double WorkingSetPerTab => (WorkingSetAfter - WorkingSetBefore) / (double)Tabs;
}

/// <summary>
/// The server's memory with no overview open against the same with N open (one circuit each), each after full
/// blocking, compacting collections. The app runs in this process, so the managed heap is the app's plus this
/// benchmark's own small bookkeeping (Playwright's client objects for the N pages are counted against the tabs).
/// </summary>
internal static class Memory
{
    public static async Task<MemoryRun> PerTabAsync(Browser browser, UiHost host, int tabs)
    {
        var context = await browser.NewContextAsync(host);
        // One page first and closed again: the context's own first costs are not per tab.
        await (await Overview.OpenAsync(context)).CloseAsync();
        var (heapBefore, wsBefore) = Measure();
        await GcDumpAsync("before");
        var pages = new List<Microsoft.Playwright.IPage>();
        for (var i = 0; i < tabs; i++) pages.Add(await Overview.OpenAsync(context));
        // Every circuit has rendered its rows (OpenAsync waited for them); let their first batches settle.
        foreach (var p in pages) await p.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => r(0)))");
        var (heapAfter, wsAfter) = Measure();
        await GcDumpAsync($"{tabs}-tabs");
        await context.CloseAsync();
        return new MemoryRun(tabs, heapBefore, heapAfter, wsBefore, wsAfter);
    }

    /// <summary>With CUTOVER_BENCH_GCDUMP set to a folder, a heap dump there (dotnet-gcdump on PATH), to see what a tab holds.</summary>
    private static async Task GcDumpAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("CUTOVER_BENCH_GCDUMP") is not { Length: > 0 } folder) return;
        using var tool = Process.Start("dotnet-gcdump", ["collect", "-p", Environment.ProcessId.ToString(), "-o", Path.Combine(folder, name + ".gcdump")]);
        await tool.WaitForExitAsync();
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return (heap, self.WorkingSet64);
    }
}
