using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Cutover.Dashboard.Routing;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Routing;

/// <summary>
/// An agent served by Python's http.server in its default HTTP/1.0 mode (it closes the connection after every
/// response), as simple agents often are: every call forwarded through Cutover at 4 concurrent must get through.
/// </summary>
public sealed class Http10AgentTests : IClassFixture<KestrelAppFactory>
{
    private const string Agent = """
        import http.server, json, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                out = json.dumps({"jsonrpc": "2.0", "id": 1, "result": len(body)}).encode()
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """;

    private readonly KestrelAppFactory _app;
    private readonly RoutingData _data;

    public Http10AgentTests(KestrelAppFactory app)
    {
        _app = app.Started();
        _data = new RoutingData(app.Services);
    }

    /// <summary>
    /// From the very first call (no call goes first to teach Cutover), on three fresh agents: the calls in flight
    /// while Cutover learns how an agent answers are the ones that used to fail.
    /// </summary>
    [Fact]
    public async Task Forward_PythonHttp10Agents_FromTheirFirstCall_200CallsEachAt4Concurrent_NoneFail()
    {
        var script = Path.Combine(Path.GetTempPath(), $"cutover-http10-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Agent);
        var pythons = Enumerable.Range(0, 3)
            .Select(_ => Process.Start(new ProcessStartInfo("python3", script) { RedirectStandardOutput = true, UseShellExecute = false })!)
            .ToList();
        try
        {
            using var client = _app.HttpClient();
            var failures = new ConcurrentDictionary<HttpStatusCode, int>();
            foreach (var python in pythons)
            {
                var port = int.Parse((await python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!);
                var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("http10"), new Uri($"http://127.0.0.1:{port}/"));
                await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                {
                    using var response = await client.PostAsync($"/api/agents/{agentId}/rpc",
                        new StringContent("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"message/send\",\"params\":{}}", Encoding.UTF8, "application/json"), ct);
                    if (response.StatusCode != HttpStatusCode.OK) failures.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                });
            }

            Assert.Empty(failures);
        }
        finally
        {
            foreach (var python in pythons)
            {
                python.Kill();
                python.Dispose();
            }

            File.Delete(script);
        }
    }

    [Fact]
    public async Task Destination_UnpooledUntilAnAnswerKeepsAlive_ThenPooled_AndUnpooledForGoodOnceSeenClosing()
    {
        var used = new List<string>();
        var next = new Queue<Version>([HttpVersion.Version11, HttpVersion.Version10, HttpVersion.Version11, HttpVersion.Version11]);
        using var invoker = new HttpMessageInvoker(new Http10Destinations(
            new Answering("pooled", used, next), new Answering("unpooled", used, next)));

        for (var i = 0; i < 4; i++)
        {
            using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://agent.test:8080/"), CancellationToken.None);
        }

        // 1: not answered yet; 2: answered HTTP/1.1 before; 3, 4: answered HTTP/1.0 (closing) before, for good.
        Assert.Equal(["unpooled", "pooled", "unpooled", "unpooled"], used);
    }

    private sealed class Answering(string name, List<string> used, Queue<Version> versions) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            used.Add(name);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Version = versions.Dequeue() });
        }
    }

    [Theory]
    [InlineData("1.0", null, true)]
    [InlineData("1.0", "keep-alive", false)]
    [InlineData("1.1", null, false)]
    public void ClosesAfterEachResponse_ByVersionAndConnectionHeader(string version, string? connection, bool expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = Version.Parse(version) };
        if (connection is not null) response.Headers.Connection.Add(connection);
        Assert.Equal(expected, Http10Destinations.ClosesAfterEachResponse(response));
    }
}
