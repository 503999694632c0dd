using Cutover.Tests.Unit.Health;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Api;

/// <summary>
/// Bodies whose framing is broken (a chunk size that is not hex) on every endpoint that reads a body: the caller's
/// fault, so 400 problem details, never a 500. Over a real socket: the in-memory test server never parses chunks.
/// </summary>
public sealed class RequestFramingTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    private const string BrokenChunks = "zz\r\n{}\r\n0\r\n\r\n";

    [Theory]
    [InlineData("register")]
    [InlineData("create")]
    [InlineData("promote")]
    [InlineData("rollback")]
    [InlineData("health")]
    public async Task Post_MalformedChunkedBody_Is400ProblemDetails(string endpoint)
    {
        var name = "framing-" + endpoint;
        var (agentId, deploymentId) = await AppSeed.ProductionAgentAsync(app.Started().Services, name);
        var token = endpoint == "health" ? await AppSeed.AgentTokenAsync(app.Services, name) : CutoverAppFactory.AdminToken;
        var path = endpoint switch
        {
            "register" => "/api/agents/register",
            "create" => $"/api/agents/{agentId}/deployments",
            "promote" => $"/api/agents/{agentId}/deployments/{deploymentId}/promote",
            "rollback" => $"/api/agents/{agentId}/rollback",
            _ => $"/api/agents/{agentId}/health",
        };

        var response = await RawHttp.SendAsync(app.Address, $"""
            POST {path} HTTP/1.1
            Host: {app.Address.Authority}
            Authorization: Bearer {token}
            Content-Type: application/json
            Transfer-Encoding: chunked

            """, BrokenChunks);

        Assert.Equal(400, response.Status);
        Assert.True(response.IsProblemJson, response.Headers);
        Assert.Contains("\"field\":\"body\"", response.Body);
    }

    /// <summary>A path the app reads and cannot make sense of is the app's answer: problem details.</summary>
    [Theory]
    [InlineData("/api/agents/%zz")]
    [InlineData("/api/agents/a%2Fb")]
    [InlineData("/api/agents/not-a-guid/deployments")]
    public async Task Get_PathTheAppCannotRead_Is4xxProblemDetails(string target)
    {
        var response = await Get(target);

        Assert.InRange(response.Status, 400, 404);
        Assert.True(response.IsProblemJson, response.Headers);
    }

    /// <summary>
    /// What Kestrel refuses before any of the app runs (a NUL in the path, a request target without its slash, a
    /// 40 KB header) cannot be shaped by the app: Kestrel answers with an empty 4xx. Never a 500.
    /// </summary>
    [Theory]
    [InlineData("/api/agents/%00", 0, 400)]
    [InlineData("api/agents", 0, 400)]
    [InlineData("/api/agents", 40_000, 431)]
    public async Task Get_RequestKestrelRefuses_IsItsEmpty4xx(string target, int headerBytes, int status)
    {
        var response = await Get(target, headerBytes);

        Assert.Equal(status, response.Status);
        Assert.Equal("", response.Body);
    }

    private Task<RawResponse> Get(string target, int headerBytes = 0)
    {
        app.Started();
        var extra = headerBytes > 0 ? "X-Big: " + new string('a', headerBytes) + "\n" : "";
        return RawHttp.SendAsync(app.Address,
            $"GET {target} HTTP/1.1\nHost: {app.Address.Authority}\nAuthorization: Bearer {CutoverAppFactory.AdminToken}\n{extra}Connection: close\n");
    }
}
