using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Cutover.Dashboard.Routing;
using Cutover.Tests.Unit.Infrastructure;
using Xunit.Abstractions;

namespace Cutover.Tests.Unit.Routing;

/// <summary>
/// The cut-over promise: every request that starts after a promote (or rollback) returns goes to the new
/// deployment, and none fails because of the switch. Two real backends, several concurrent callers, and
/// production switched back and forth while they run.
/// </summary>
public sealed class CutoverUnderLoadTests(KestrelAppFactory app, ITestOutputHelper output) : IClassFixture<KestrelAppFactory>
{
    private const int Callers = 8;
    private const int Switches = 8;
    private const int RequestsPerWindow = 60;

    [Fact]
    public async Task PromoteAndRollback_WhileConcurrentCallersRun_NoFailedAndNoStaleRequests()
    {
        app.Started();
        var data = new RoutingData(app.Services);
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        var name = RoutingData.UniqueName("cutover");
        var (agentId, blueId) = await data.RegisterAsync(name, blue.Url);
        var (_, greenId) = await data.RegisterAsync(name, green.Url);

        var results = new ConcurrentQueue<Observation>();
        var progress = new Progress();
        using var stop = new CancellationTokenSource();
        using var client = app.HttpClient();
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(() => CallLoopAsync(client, agentId, results, progress, stop.Token))).ToArray();

        var switches = new List<Switch>();
        var production = "blue";
        for (var i = 0; i < Switches; i++)
        {
            await progress.WaitForAsync(progress.Count + RequestsPerWindow, TimeSpan.FromSeconds(60));
            var started = Stopwatch.GetTimestamp();
            if (production == "blue")
            {
                await data.PromoteAsync(agentId, greenId);
                production = "green";
            }
            else
            {
                // Back to the previous production deployment, recorded as a rollback.
                var rolledBack = await data.Deployments.RollbackAsync(agentId, null, "test", "test", CancellationToken.None);
                Assert.Equal(blueId, rolledBack.Value?.Id);
                production = "blue";
            }

            switches.Add(new Switch(started, Stopwatch.GetTimestamp(), production));
        }

        await progress.WaitForAsync(progress.Count + RequestsPerWindow, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        var verdicts = results.Select(r => (Result: r, Allowed: Allowed(r, switches))).ToList();
        var failed = verdicts.Count(v => v.Result.Status != 200);
        var stale = verdicts.Count(v => v.Result.Status == 200 && !v.Allowed.Contains(v.Result.Backend!));
        var during = verdicts.Count(v => v.Allowed.Count > 1);
        output.WriteLine($"cut-over: {verdicts.Count} requests from {Callers} callers across {Switches} switches " +
                         $"({during} in flight during a switch): {failed} failed, {stale} stale");
        Console.WriteLine($"cut-over: {verdicts.Count} requests, {Switches} switches, {failed} failed, {stale} stale");

        var t0 = switches[0].Started;
        double Ms(long t) => (t - t0) * 1000.0 / Stopwatch.Frequency;
        foreach (var s in switches) output.WriteLine($"switch to {s.Production}: {Ms(s.Started):F2} .. {Ms(s.Returned):F2} ms");
        foreach (var v in verdicts.Where(v => v.Result.Status != 200 || !v.Allowed.Contains(v.Result.Backend!)))
            output.WriteLine($"request {Ms(v.Result.Started):F2} .. {Ms(v.Result.Ended):F2} ms: status {v.Result.Status}, " +
                             $"got {v.Result.Backend} ({v.Result.ServedBy}), allowed {string.Join("/", v.Allowed)}");

        Assert.Equal(0, failed);
        Assert.Equal(0, stale);
        // Every window after a switch was exercised, so the zero above is about real traffic.
        foreach (var s in switches)
            Assert.Contains(verdicts, v => v.Result.Started > s.Returned && v.Allowed.SetEquals([s.Production]));
    }

    /// <summary>
    /// The backends a request may correctly reach: production as of the last switch that returned before the request
    /// started, plus the target of any switch that began while the request was in flight (it may or may not see
    /// that one). A request that reaches anything else is stale.
    /// </summary>
    private static HashSet<string> Allowed(Observation r, List<Switch> switches)
    {
        var allowed = new HashSet<string> { "blue" };
        foreach (var s in switches)
        {
            if (s.Returned <= r.Started)
            {
                allowed.Clear();
                allowed.Add(s.Production);
            }
            else if (s.Started < r.Ended)
            {
                allowed.Add(s.Production);
            }
        }

        return allowed;
    }

    private static async Task CallLoopAsync(HttpClient client, Guid agentId, ConcurrentQueue<Observation> results, Progress progress, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            int status;
            string? backend = null;
            string? servedBy = null;
            try
            {
                using var response = await client.PostAsync($"/api/agents/{agentId}/rpc",
                    new StringContent("""{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""", Encoding.UTF8, "application/json"),
                    CancellationToken.None);
                status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                    backend = doc.RootElement.GetProperty("result").GetProperty("backend").GetString();
                    servedBy = response.Headers.GetValues(RpcHeaders.Deployment).SingleOrDefault();
                }
            }
            catch (HttpRequestException)
            {
                status = 0;
            }

            results.Enqueue(new Observation(started, Stopwatch.GetTimestamp(), status, backend, servedBy));
            progress.Increment();
        }
    }

    private sealed record Observation(long Started, long Ended, int Status, string? Backend, string? ServedBy);

    private sealed record Switch(long Started, long Returned, string Production);

    /// <summary>A request counter the test can wait on (no sleeping: it is woken when the count is reached).</summary>
    private sealed class Progress
    {
        private readonly Lock _lock = new();
        private int _count;
        private int _target = int.MaxValue;
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public void Increment()
        {
            lock (_lock)
            {
                if (++_count >= _target) _reached.TrySetResult();
            }
        }

        public Task WaitForAsync(int target, TimeSpan timeout)
        {
            lock (_lock)
            {
                _target = target;
                _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_count >= target) _reached.TrySetResult();
                return _reached.Task.WaitAsync(timeout);
            }
        }
    }
}
