using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cutover.Tests.E2E.Infrastructure;
using Cutover.Tests.Unit.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Xunit.Abstractions;

namespace Cutover.Tests.E2E.ScaleOut;

/// <summary>
/// Issue 18: two nodes are one Cutover. A change made on one node reaches the other's bus (its hub clients and its
/// route cache) through PostgreSQL's NOTIFY, and security state that ends on one node ends on both.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class TwoNodeTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";

    [Fact]
    public async Task PromoteOnA_ReachesB_AndBRoutesEveryLaterRequestToTheNewDeployment()
    {
        var promotes = int.TryParse(Environment.GetEnvironmentVariable("CUTOVER_SCALEOUT_PROMOTES"), out var n) && n > 0 ? n : 200;
        var (agentId, deployments) = await nodes.RegisterAsync("relay-" + Guid.NewGuid().ToString("N")[..6], 2);
        await using var hubOnB = await StatusHubClient.ConnectAsync(nodes.B.BaseUrl, AppProcess.AdminToken);
        await hubOnB.Connection.InvokeAsync("Subscribe", agentId);
        using var onA = nodes.A.CreateClient();
        using var onB = nodes.B.CreateClient();

        var lags = new List<double>();
        var fromCall = new List<double>();
        var stale = 0;
        var late = 0;
        for (var i = 0; i < promotes; i++)
        {
            var target = deployments[(i + 1) % 2];
            var called = Stopwatch.GetTimestamp();
            using (var promoted = await onA.PostAsJsonAsync($"api/agents/{agentId}/deployments/{target}/promote", new { reason = "relay" }))
            {
                Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
            }

            var answered = Stopwatch.GetTimestamp();
            try
            {
                await hubOnB.WaitForAsync(c => c.GetProperty("field").GetString() == "production"
                    && c.GetProperty("to").GetString() == target.ToString(), TimeSpan.FromSeconds(1));
                lags.Add(Stopwatch.GetElapsedTime(answered).TotalMilliseconds);
                fromCall.Add(Stopwatch.GetElapsedTime(called).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                // Not on B within 1 s of A's answer: the request below starts after that second.
                late++;
            }

            using var rpc = await onB.PostAsync($"api/agents/{agentId}/rpc", new StringContent(Call, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);
            if (rpc.Headers.GetValues("X-Cutover-Deployment").Single() != target.ToString()) stale++;
        }

        var (p50, p99) = Percentiles(lags);
        var (c50, c99) = Percentiles(fromCall);
        output.WriteLine($"SCALE-OUT cross-node lag over {promotes} promotes, A's answer to B's hub: p50 {p50:F1} ms, p99 {p99:F1} ms " +
                         $"(target p99 <= 100 ms: {(p99 <= 100 ? "met" : "MISSED")}); the promote call's start to B's hub: p50 {c50:F1} ms, " +
                         $"p99 {c99:F1} ms; later than 1 s: {late}; requests B routed stale: {stale}");
        Assert.Equal(0, late);
        Assert.Equal(0, stale);
    }

    /// <summary>
    /// Issue 18 item 6, printed by the test run: the same promote-and-RPC mix sent to one node and split across two,
    /// in interleaved slices so the shared machine's load falls on both alike. On 2 cores throughput cannot grow with
    /// a second node; what the figures show is what the relay costs a change.
    /// </summary>
    [Fact]
    public async Task PromoteAndRpcMix_ThroughOneNodeAndThroughTwo_PrintedSideBySide()
    {
        var (agentId, deployments) = await nodes.RegisterAsync("mix-" + Guid.NewGuid().ToString("N")[..6], 2);
        using var onA = nodes.A.CreateClient();
        using var onB = nodes.B.CreateClient();
        var figures = new Dictionary<string, (int Count, int Failed, List<double> Latencies, TimeSpan Elapsed)>
        {
            ["one node"] = (0, 0, [], TimeSpan.Zero),
            ["two nodes"] = (0, 0, [], TimeSpan.Zero),
        };
        for (var slice = 0; slice < 8; slice++)
        {
            var name = slice % 2 == 0 ? "one node" : "two nodes";
            var clients = name == "one node" ? new[] { onA } : new[] { onA, onB };
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var failed = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(1); i++)
                {
                    var client = clients[(w + i) % clients.Length];
                    var started = Stopwatch.GetTimestamp();
                    using var response = i % 2 == 0
                        ? await client.PostAsJsonAsync($"api/agents/{agentId}/deployments/{deployments[(w + i / 2) % 2]}/promote", new { reason = "mix" })
                        : await client.PostAsync($"api/agents/{agentId}/rpc", new StringContent(Call, Encoding.UTF8, "application/json"));
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)) Interlocked.Increment(ref failed);
                }
            })));
            var f = figures[name];
            figures[name] = (f.Count + latencies.Count, f.Failed + failed, [.. f.Latencies, .. latencies], f.Elapsed + clock.Elapsed);
        }

        foreach (var (name, f) in figures)
        {
            var (p50, p99) = Percentiles(f.Latencies);
            output.WriteLine($"SCALE-OUT promote/RPC mix through {name,-9}: {f.Count / f.Elapsed.TotalSeconds,7:F0} calls/s, p50 {p50:F1} ms, p99 {p99:F1} ms, failed {f.Failed}");
        }

        Assert.All(figures.Values, f => Assert.Equal(0, f.Failed));
    }

    private static (double P50, double P99) Percentiles(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? (double.NaN, double.NaN) : (values[values.Count / 2], values[Math.Min(values.Count - 1, (int)(values.Count * 0.99))]);
    }

    [Fact]
    public async Task TokenRevokedOnA_StopsWorkingOnBWithinASecond_AndItsHubConnectionOnBCloses()
    {
        using var adminOnA = nodes.A.CreateClient();
        using var created = await adminOnA.PostAsJsonAsync("api/tokens", new { name = "two-node", kind = "personal", role = "operator" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reply = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (id, token) = (reply.GetProperty("id").GetGuid(), reply.GetProperty("token").GetString()!);
        using var onB = nodes.B.CreateClient(token);
        using (var before = await onB.GetAsync("api/agents")) Assert.Equal(HttpStatusCode.OK, before.StatusCode); // now cached on B
        await using var hubOnB = await StatusHubClient.ConnectAsync(nodes.B.BaseUrl, token);

        using (var revoked = await adminOnA.DeleteAsync($"api/tokens/{id}")) Assert.True(revoked.IsSuccessStatusCode);
        var clock = Stopwatch.StartNew();

        var refused = false;
        while (!refused && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            using var after = await onB.GetAsync("api/agents");
            refused = after.StatusCode == HttpStatusCode.Unauthorized;
        }

        var refusedAfter = clock.Elapsed;
        await hubOnB.Closed.WaitAsync(TimeSpan.FromSeconds(1) - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        output.WriteLine($"SCALE-OUT revoked on A: refused on B after {refusedAfter.TotalMilliseconds:F0} ms; B's hub connection closed after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(refused, "The token still worked on B a second after it was revoked on A.");
    }

    /// <summary>
    /// A person signs in on node A; the same browser opens the agents overview on node B (cookies are per host, not
    /// per port, so B gets A's sign-in cookie, which B can read only with A's Data Protection keys). A health report
    /// posted to A shows on B's open page within a second, without a reload.
    /// </summary>
    [Fact]
    public async Task SignedInOnA_PageOpenOnB_ShowsAHealthReportPostedToAWithinASecond()
    {
        var name = "page-" + Guid.NewGuid().ToString("N")[..6];
        var (agentId, _) = await nodes.RegisterAsync(name, 1);
        var user = "ops-" + Guid.NewGuid().ToString("N")[..6];
        await Accounts.CreateUserAsync(nodes.A, user);
        using var adminOnA = nodes.A.CreateClient();
        using var minted = await adminOnA.PostAsJsonAsync("api/tokens", new { name = name + "-agent", kind = "agent", agentName = name });
        Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
        using var agentOnA = nodes.A.CreateClient((await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchChromiumAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nodes.A.BaseUrl.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await Accounts.SignInAsync(page, user, Accounts.Password);

        await page.GotoAsync(new Uri(nodes.B.BaseUrl, "?search=" + name).ToString());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Search agents by name" }).FillAsync(name);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Unhealthy" })).ToHaveCountAsync(0);

        using (var report = await agentOnA.PostAsJsonAsync($"api/agents/{agentId}/health", new { status = "Unhealthy" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        }

        var reported = Stopwatch.StartNew();
        await Expect(row.GetByRole(AriaRole.Img, new() { Name = "Health: Unhealthy" })).ToBeVisibleAsync(new() { Timeout = 1_000 });
        var shown = reported.Elapsed;
        await BrowserFixture.ScreenshotAsync(page, "scale-out-node-b");
        // The page really was node B's: its System page names the node.
        await page.GotoAsync(new Uri(nodes.B.BaseUrl, "system").ToString());
        await Expect(page.GetByLabel("Node")).ToHaveTextAsync("b");
        output.WriteLine($"SCALE-OUT a health report posted to A showed on B's open page after {shown.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task AThousandConcurrentPromotesSplitAcrossTheNodes_ExactlyOneProductionPerAgent_Only200Or409()
    {
        var agents = new List<(Guid Agent, List<Guid> Deployments)>();
        for (var i = 0; i < 5; i++) agents.Add(await nodes.RegisterAsync($"race-{i}-" + Guid.NewGuid().ToString("N")[..6], 3));
        using var onA = nodes.A.CreateClient();
        using var onB = nodes.B.CreateClient();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var (agentId, deployments) = agents[i % agents.Count];
            var target = deployments[(i / agents.Count) % deployments.Count];
            var client = i % 2 == 0 ? onA : onB;
            using var response = await client.PostAsJsonAsync($"api/agents/{agentId}/deployments/{target}/promote", new { reason = "race" }, ct);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
        });

        output.WriteLine("SCALE-OUT 1,000 promotes across both nodes: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}")));
        Assert.All(statuses.Keys, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        foreach (var (agentId, _) in agents)
        {
            foreach (var node in new[] { nodes.A, nodes.B })
            {
                using var client = node.CreateClient();
                var list = await client.GetFromJsonAsync<JsonElement>($"api/agents/{agentId}/deployments");
                var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
                Assert.Equal(1, items.EnumerateArray().Count(d => d.GetProperty("isProduction").GetBoolean()));
            }
        }
    }
}
