using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Routing;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Routing;

/// <summary>What forwarding does to a call on its way: who may send it, which headers pass, and streaming.</summary>
public sealed class RpcForwardingTests : IClassFixture<KestrelAppFactory>
{
    private const string Call = """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}""";

    private readonly KestrelAppFactory _app;
    private readonly RoutingData _data;

    public RpcForwardingTests(KestrelAppFactory app)
    {
        _app = app.Started();
        _data = new RoutingData(app.Services);
    }

    [Theory]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    [InlineData("operator", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task RpcEndpoints_ByCaller_OnlyOperatorsGetThrough(string caller, HttpStatusCode expected)
    {
        await using var backend = await TestBackend.StartAsync("auth");
        var name = RoutingData.UniqueName("auth");
        var (agentId, deploymentId) = await _data.RegisterAsync(name, backend.Url);
        var token = caller switch
        {
            "viewer" => await _data.CreateTokenAsync(Role.Viewer),
            "agent" => await _data.CreateTokenAsync(null, agentName: name),
            "operator" => await _data.CreateTokenAsync(Role.Operator),
            "admin" => await _data.CreateTokenAsync(Role.Admin),
            _ => null,
        };
        using var client = _app.HttpClient(token);

        foreach (var path in new[]
                 {
                     $"/api/agents/{agentId}/rpc", $"/api/agents/by-name/{name}/rpc",
                     $"/api/agents/{agentId}/deployments/{deploymentId}/rpc",
                 })
        {
            using var response = await client.PostAsync(path, new StringContent(Call, Encoding.UTF8, "application/json"));
            Assert.Equal(expected, response.StatusCode);
        }

        Assert.Equal(expected == HttpStatusCode.OK ? 3 : 0, backend.Received.Count);
    }

    [Fact]
    public async Task ProductionRpc_CallerHeaders_CredentialsAndHopByHopDroppedForwardedHeadersSet()
    {
        await using var backend = await TestBackend.StartAsync("headers", ctx =>
        {
            ctx.Response.Headers.SetCookie = "cutover.auth=stolen; Path=/";
            ctx.Response.Headers["X-Agent-Version"] = "7";
            ctx.Response.Headers.Connection = "X-Agent-Hop";
            ctx.Response.Headers["X-Agent-Hop"] = "internal";
            return ctx.Response.WriteAsync("{}");
        });
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("headers"), backend.Url);
        using var client = _app.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{agentId}/rpc")
        {
            Content = new StringContent(Call, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", "cutover.auth=operator-session");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Request-Id", "trace-me");
        request.Headers.Add("X-Caller-Hop", "secret");
        request.Headers.Connection.Add("X-Caller-Hop");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(backend.Received);
        Assert.False(seen.ContainsKey("Authorization"));
        Assert.False(seen.ContainsKey("Cookie"));
        Assert.False(seen.ContainsKey("X-Caller-Hop"));
        Assert.Equal("trace-me", seen["X-Request-Id"].ToString());
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"].ToString());
        Assert.Equal("http", seen["X-Forwarded-Proto"].ToString());
        Assert.Equal(client.BaseAddress!.Authority, seen["X-Forwarded-Host"].ToString());
        Assert.Equal(backend.Url.Authority, seen["Host"].ToString());

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Agent-Hop"));
        Assert.Equal("7", response.Headers.GetValues("X-Agent-Version").Single());
    }

    /// <remarks>
    /// With keep-alive beside the names, Kestrel's HttpHeaders.ParseConnection replaces the value with its interned
    /// "keep-alive" before the app runs; ConnectionHeaderCapture puts the caller's value back.
    /// </remarks>
    [Theory]
    [InlineData("X-Hop-Secret")]
    [InlineData("keep-alive, X-Hop-Secret")]
    [InlineData("X-Hop-Secret, Keep-Alive")]
    [InlineData("X-Other-Hop, X-Hop-Secret")]
    [InlineData("x-other-hop,x-hop-secret")]
    public async Task ProductionRpc_ConnectionNominatesAHeader_ItNeverReachesTheAgent(string connection)
    {
        await using var backend = await TestBackend.StartAsync("hop");
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("hop"), backend.Url);

        var response = await RawHttp.SendAsync(_app.Address, $"""
            POST /api/agents/{agentId}/rpc HTTP/1.1
            Host: {_app.Address.Authority}
            Authorization: Bearer {CutoverAppFactory.AdminToken}
            Content-Type: application/json
            Content-Length: {Encoding.UTF8.GetByteCount(Call)}
            Connection: {connection}
            X-Hop-Secret: do-not-forward
            X-Kept: forwarded

            """, Call);

        Assert.Equal(200, response.Status);
        var seen = Assert.Single(backend.Received);
        Assert.False(seen.ContainsKey("X-Hop-Secret"), string.Join(", ", seen.Keys));
        Assert.Equal("forwarded", seen["X-Kept"].ToString());
    }

    /// <summary>
    /// What one request on a connection nominated says nothing about the next one on the same connection: a
    /// request with a plain keep-alive forwards the header the request before it nominated.
    /// </summary>
    [Fact]
    public async Task ProductionRpc_NominationOnOneRequest_DoesNotCarryOverToTheNextOnTheConnection()
    {
        await using var backend = await TestBackend.StartAsync("hop-next");
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("hop-next"), backend.Url);
        string Request(string connection) => $"""
            POST /api/agents/{agentId}/rpc HTTP/1.1
            Host: {_app.Address.Authority}
            Authorization: Bearer {CutoverAppFactory.AdminToken}
            Content-Type: application/json
            Content-Length: {Encoding.UTF8.GetByteCount(Call)}
            Connection: {connection}
            X-Hop-Secret: sent

            """;

        var responses = await RawHttp.SendOnOneConnectionAsync(_app.Address,
            (Request("keep-alive, X-Hop-Secret"), Call), (Request("keep-alive"), Call));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        var received = backend.Received.ToArray();
        Assert.Equal(2, received.Length);
        Assert.False(received[0].ContainsKey("X-Hop-Secret"));
        Assert.Equal("sent", received[1]["X-Hop-Secret"].ToString());
    }

    [Theory]
    [InlineData("operator", true)]
    [InlineData("admin", true)]
    [InlineData("viewer", false)]
    [InlineData("agent", false)]
    public async Task RpcEndpoints_TokenAlreadyCached_OnlyCallersThePolicyAdmitsAreForwarded(string caller, bool admitted)
    {
        await using var backend = await TestBackend.StartAsync("fast");
        var name = RoutingData.UniqueName("fast");
        var (agentId, deploymentId) = await _data.RegisterAsync(name, backend.Url);
        var token = caller switch
        {
            "viewer" => await _data.CreateTokenAsync(Role.Viewer),
            "agent" => await _data.CreateTokenAsync(null, agentName: name),
            "operator" => await _data.CreateTokenAsync(Role.Operator),
            _ => await _data.CreateTokenAsync(Role.Admin),
        };
        using var client = _app.HttpClient(token);
        var paths = new[] { $"/api/agents/{agentId}/rpc", $"/api/agents/by-name/{name}/rpc", $"/api/agents/{agentId}/deployments/{deploymentId}/rpc" };

        // The first call reads the token from the database (and caches it); the next ones find it cached. Both go
        // through the same pipeline and the same policy.
        var statuses = new List<HttpStatusCode>();
        foreach (var path in paths.Prepend(paths[0]))
        {
            using var response = await client.PostAsync(path, new StringContent(Call, Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(admitted ? HttpStatusCode.OK : HttpStatusCode.Forbidden, s));
        Assert.Equal(admitted ? 4 : 0, backend.Received.Count);
    }

    [Fact]
    public async Task RpcEndpoints_CachedTokenRevoked_NextCallIsRefused()
    {
        await using var backend = await TestBackend.StartAsync("revoked");
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("revoked"), backend.Url);
        var token = await _data.CreateTokenAsync(Role.Operator);
        using var client = _app.HttpClient(token);
        var path = $"/api/agents/{agentId}/rpc";
        using (var first = await client.PostAsync(path, new StringContent(Call, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Guid tokenId;
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync())
        {
            var hash = TokenSecrets.Hash(token);
            tokenId = (await db.ApiTokens.SingleAsync(t => t.Hash == hash)).Id;
        }

        Assert.True((await _app.Services.GetRequiredService<Cutover.Dashboard.Security.ApiTokens>().RevokeAsync(tokenId, "user:test", default)).IsSuccess);
        using var second = await client.PostAsync(path, new StringContent(Call, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Single(backend.Received);
    }

    [Fact]
    public async Task RpcEndpoints_TokensTakeTurnsOnOneKeptAliveConnection_EachCallIsJudgedByItsOwnToken()
    {
        // Kestrel hands a connection's repeated header back as the same string, and the token's hash is memoized by
        // that string: a different token on the same connection must still be read, hashed and judged as itself.
        await using var backend = await TestBackend.StartAsync("turns");
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("turns"), backend.Url);
        var viewer = await _data.CreateTokenAsync(Role.Viewer);
        var operatorToken = await _data.CreateTokenAsync(Role.Operator);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseCookies = false }) { BaseAddress = _app.Address };
        var statuses = new List<HttpStatusCode>();
        foreach (var token in new[] { viewer, viewer, operatorToken, operatorToken, viewer, "cut_pat_not-a-token", operatorToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{agentId}/rpc")
            {
                Content = new StringContent(Call, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden,
            HttpStatusCode.Unauthorized, HttpStatusCode.OK], statuses);
        Assert.Equal(3, backend.Received.Count);
    }

    private const string CallerTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public async Task ProductionRpc_TracingOff_CallersTraceparentReachesTheAgentUnchanged()
    {
        // Without a tracing listener Cutover starts no span of its own per request (appsettings turns off the hosting
        // diagnostics logger, whose mere presence made ASP.NET Core create one): the caller's trace passes through.
        var seen = await SendTracedCallAsync("trace-off");
        Assert.Equal(CallerTrace, seen);
    }

    [Fact]
    public async Task ProductionRpc_TracingOn_AgentSpanIsAChildOfCutoversSpanInTheCallersTrace()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        var seen = await SendTracedCallAsync("trace-on");

        var parts = seen.Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", parts[1]); // the caller's trace continues
        Assert.NotEqual("b7ad6b7169203331", parts[2]); // with Cutover's span between the caller and the agent
    }

    private async Task<string> SendTracedCallAsync(string name)
    {
        await using var backend = await TestBackend.StartAsync(name);
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName(name), backend.Url);
        using var client = _app.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{agentId}/rpc")
        {
            Content = new StringContent(Call, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", CallerTrace);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(backend.Received)["traceparent"].ToString();
    }

    [Fact]
    public async Task ProductionRpc_StreamedResponse_ReachesCallerBeforeAgentFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync("stream", async ctx =>
        {
            ctx.Response.ContentType = "application/x-ndjson";
            await ctx.Response.WriteAsync("{\"part\":1}\n");
            await ctx.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await ctx.Response.WriteAsync("{\"part\":2}\n");
        });
        var (agentId, _) = await _data.RegisterAsync(RoutingData.UniqueName("stream"), backend.Url);
        using var client = _app.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{agentId}/rpc")
        {
            Content = new StringContent(Call, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead)
            .WaitAsync(TimeSpan.FromSeconds(20));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The agent is still holding its second line: the first can only arrive if nothing buffers it.
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
        var second = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("{\"part\":1}", first);
        Assert.Equal("{\"part\":2}", second);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
    }
}
