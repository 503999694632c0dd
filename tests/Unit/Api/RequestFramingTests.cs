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
}
