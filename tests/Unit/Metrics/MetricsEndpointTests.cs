using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cutover.Core.Domain;
using Cutover.Core.Status;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Routing;

namespace Cutover.Tests.Unit.Metrics;

/// <summary>
/// <c>GET /metrics</c> over real HTTP: after a promote, an RPC and a probe round, the Prometheus text has Cutover's
/// series with their labels, beside ASP.NET Core's and the runtime's; only viewers may read it unless opened.
/// OpenTelemetry listens to meters by name process-wide, so another test's app alive at the same time would
/// register a "Cutover" meter of its own and this app's exporter could count that one instead: the class runs alone.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly KestrelAppFactory _app = new();
    private TestBackend _backend = default!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("metrics");
        _app.With("Cutover:Health:ProbeInterval", "00:00:01");
        _app.Started();
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _app.Dispose();
    }

    [Fact]
    public async Task Metrics_AfterPromoteAndRpc_HasCutoverAspNetCoreAndRuntimeSeries()
    {
        var data = new RoutingData(_app.Services);
        var name = RoutingData.UniqueName("metrics");
        var (agentId, _) = await data.RegisterAsync(name, _backend.Url);
        var (_, next) = await data.RegisterAsync(name, _backend.Url);
        using var admin = _app.HttpClient();
        using (var promote = await admin.PostAsync($"/api/agents/{agentId}/deployments/{next}/promote", Json("{}")))
            Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        using (var rpc = await admin.PostAsync($"/api/agents/{agentId}/rpc", Json("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")))
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);

        var series = $"deployment=\"{next}\"";
        var text = await ScrapeUntilAsync(admin, t =>
            Has(t, "cutover_status_changes_total", $"field=\"{StatusField.Production}\"", $"kind=\"{EventKind.Promoted}\"")
            && Has(t, "cutover_rpc_requests_total", $"agent=\"{agentId}\"", series)
            && Has(t, "cutover_rpc_duration_seconds_count", $"agent=\"{agentId}\"", series)
            && Has(t, "cutover_health_probes_total", "outcome=\"success\""));

        Assert.Equal(1, Value(text, "cutover_rpc_requests_total", $"agent=\"{agentId}\"", series));
        Assert.False(Has(text, "cutover_rpc_errors_total", $"agent=\"{agentId}\""), "a 200 answer is no error");
        Assert.Contains("# TYPE cutover_rpc_duration_seconds histogram", text);
        Assert.True(Has(text, "http_server_request_duration_seconds_count", "http_request_method=\"POST\"", "http_response_status_code=\"200\""),
            "ASP.NET Core's request metrics:\n" + string.Join("\n", Samples(text, "http_server_request_duration_seconds_count").Select(m => m.Value)));
        Assert.Contains("dotnet_gc_collections_total", text);
    }

    [Fact]
    public async Task Metrics_RpcToUnreachableAgent_CountsAnError()
    {
        var data = new RoutingData(_app.Services);
        var (agentId, deploymentId) = await data.RegisterAsync(RoutingData.UniqueName("metrics-down"), new Uri("http://127.0.0.1:9/"));
        using var admin = _app.HttpClient();
        using (var rpc = await admin.PostAsync($"/api/agents/{agentId}/rpc", Json("{}")))
            Assert.Equal(HttpStatusCode.BadGateway, rpc.StatusCode);

        var text = await ScrapeUntilAsync(admin, t => Has(t, "cutover_rpc_errors_total", $"agent=\"{agentId}\"", $"deployment=\"{deploymentId}\""));
        Assert.Equal(1, Value(text, "cutover_rpc_errors_total", $"agent=\"{agentId}\""));
    }

    [Fact]
    public async Task Metrics_AfterRpcs_WindowedFiguresPerDeploymentAndMillisecondBuckets()
    {
        var data = new RoutingData(_app.Services);
        var (agentId, deploymentId) = await data.RegisterAsync(RoutingData.UniqueName("metrics-window"), _backend.Url);
        using var admin = _app.HttpClient();
        for (var i = 0; i < 2; i++)
        {
            using var rpc = await admin.PostAsync($"/api/agents/{agentId}/rpc", Json("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""));
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);
        }

        string[] ours = [$"agent=\"{agentId}\"", $"deployment=\"{deploymentId}\""];
        var text = await ScrapeUntilAsync(admin, t => Value(t, "cutover_rpc_window_requests", [.. ours, "window=\"1m\""]) == 2);
        Assert.Equal(2, Value(text, "cutover_rpc_window_requests", [.. ours, "window=\"15m\""]));
        Assert.Equal(0, Value(text, "cutover_rpc_window_errors", [.. ours, "window=\"1m\""]));
        foreach (var window in new[] { "1m", "15m" })
        {
            Assert.True(Value(text, "cutover_rpc_window_latency_p50_seconds", [.. ours, $"window=\"{window}\""]) > 0);
            Assert.True(Value(text, "cutover_rpc_window_latency_p99_seconds", [.. ours, $"window=\"{window}\""]) > 0);
        }

        // Buckets fit forwarding latencies (milliseconds), not the exporter's defaults (0, 5, 10 ... seconds).
        Assert.True(Has(text, "cutover_rpc_duration_seconds_bucket", [.. ours, "le=\"0.005\""]),
            string.Join("\n", Samples(text, "cutover_rpc_duration_seconds_bucket", ours).Select(m => m.Value)));
    }

    [Fact]
    public async Task Metrics_WithoutViewer_IsRefused()
    {
        using var anonymous = _app.HttpClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var agentToken = await new RoutingData(_app.Services).CreateTokenAsync(null, "some-agent");
        using var agent = _app.HttpClient(agentToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/metrics")).StatusCode);
        using var viewer = _app.HttpClient(await new RoutingData(_app.Services).CreateTokenAsync(Role.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_AnonymousSetting_OpensTheEndpoint()
    {
        using var open = new KestrelAppFactory();
        open.With("Cutover:Metrics:Anonymous", "true");
        open.Started();
        using var anonymous = open.HttpClient(bearerToken: null);
        using var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done)
    {
        using var cts = new CancellationTokenSource(Wait);
        var text = "";
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            do
            {
                using var response = await client.GetAsync("/metrics", cts.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                text = await response.Content.ReadAsStringAsync(cts.Token);
                if (done(text)) return text;
            }
            while (await timer.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }

        var ours = string.Join("\n", text.Split('\n').Where(l => l.StartsWith("cutover_", StringComparison.Ordinal)));
        throw new TimeoutException($"The expected series did not appear within {Wait.TotalSeconds} s; Cutover's were:\n{ours}");
    }

    /// <summary>Sample lines of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>.</summary>
    private static IEnumerable<Match> Samples(string text, string metric, params string[] labels) =>
        SampleLine().Matches(text).Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains(l)));

    private static bool Has(string text, string metric, params string[] labels) => Samples(text, metric, labels).Any();

    private static double Value(string text, string metric, params string[] labels) =>
        Samples(text, metric, labels).Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
