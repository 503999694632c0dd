using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Cutover.Benchmarks.Routing;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send one request at a time for a fixed time and record every
/// latency. One shared client with pooled connections, like a real caller.
/// </summary>
internal static class LoadRun
{
    private static readonly byte[] Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"text","text":"hi"}]}}}"""u8.ToArray();

    public static HttpClient Client(string? bearerToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false });
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    public static async Task<Sample> RunAsync(HttpClient client, Uri url, int concurrency, TimeSpan duration)
    {
        var latencies = new List<long>[concurrency];
        var failures = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(100_000);
            while (Stopwatch.GetTimestamp() < end)
            {
                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(Call);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(url, content);
                await response.Content.CopyToAsync(Stream.Null);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
                mine.Add(Stopwatch.GetTimestamp() - t);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Sample(latencies.SelectMany(l => l).ToArray(), failures, elapsed, allocated, cpu);
    }
}

/// <summary>
/// One timed slice of closed-loop load: every latency (in Stopwatch ticks), the failures, the time it took, and the
/// bytes allocated and CPU time used by the whole process meanwhile (client, backend and proxy alike).
/// </summary>
internal sealed record Sample(long[] Latencies, int Failures, TimeSpan Elapsed, long AllocatedBytes, TimeSpan Cpu);
