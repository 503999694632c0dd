using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cutover.Tests.Unit.Runtime;

/// <summary>The sample agent as a real process: its JSON-RPC endpoint, health, fault switches and parent watch.</summary>
public sealed class SampleAgentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("rpc")]
    [InlineData("")]
    public async Task MessageSend_BothEndpoints_AnswerWithTheTextAndTheVersion(string path)
    {
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["AGENT_VERSION"] = "1.1" });
        using var http = new HttpClient { BaseAddress = agent.Url };

        var reply = await RpcAsync(http, path, """
            {"jsonrpc":"2.0","id":7,"method":"message/send","params":{"message":{"role":"user","messageId":"m1","parts":[{"kind":"text","text":"hello there"}]}}}
            """);

        Assert.Equal(7, reply.GetProperty("id").GetInt32());
        var result = reply.GetProperty("result");
        Assert.Contains("hello there", result.GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("1.1", result.GetProperty("metadata").GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("{not json", -32700)]
    [InlineData("[1,2]", -32600)]
    [InlineData("\"text\"", -32600)]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"message/send"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":{"x":1},"method":"message/send"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tasks/cancel"}""", -32601)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"parts":[]}}}""", -32602)]
    public async Task BadRequests_AnswerWithTheJsonRpcErrorCode(string body, int code)
    {
        using var agent = await SampleAgentProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = agent.Url };

        var reply = await RpcAsync(http, "rpc", body);

        Assert.Equal("2.0", reply.GetProperty("jsonrpc").GetString());
        Assert.Equal(code, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(reply.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Notification_WithoutId_GetsNoContent()
    {
        using var agent = await SampleAgentProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = agent.Url };

        using var response = await http.PostAsync("rpc", Json("""{"jsonrpc":"2.0","method":"message/send","params":{"text":"fire and forget"}}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task FailRateOne_EveryCallIsAJsonRpcError()
    {
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["AGENT_FAIL_RATE"] = "1" });
        using var http = new HttpClient { BaseAddress = agent.Url };

        var reply = await RpcAsync(http, "rpc", """{"jsonrpc":"2.0","id":"a","method":"message/send","params":{"text":"hi"}}""");

        Assert.Equal(-32603, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("a", reply.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delay_AnswersNoSoonerThanTheDelay()
    {
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["AGENT_DELAY_MS"] = "700" });
        using var http = new HttpClient { BaseAddress = agent.Url };

        var watch = Stopwatch.StartNew();
        var reply = await RpcAsync(http, "rpc", """{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"slow"}}""");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(700), $"answered after {watch.Elapsed}");
        Assert.True(reply.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Healthz_HealthyOr503WhenUnhealthy()
    {
        using var healthy = await SampleAgentProcess.StartAsync();
        using var unhealthy = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["AGENT_UNHEALTHY"] = "true" });
        using var http = new HttpClient();

        using var ok = await http.GetAsync(new Uri(healthy.Url, "healthz"));
        using var bad = await http.GetAsync(new Uri(unhealthy.Url, "healthz"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bad.StatusCode);
    }

    [Fact]
    public async Task CrashOnStart_ExitsWithCode3()
    {
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["AGENT_CRASH_ON_START"] = "true" }, waitForUrl: false);

        await agent.Process.WaitForExitAsync().WaitAsync(Wait);

        Assert.Equal(3, agent.Process.ExitCode);
    }

    [Fact]
    public async Task ParentProcessDies_AgentExits()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string> { ["CUTOVER_PARENT_PID"] = parent.Id.ToString() });
        Assert.False(agent.Process.HasExited);

        parent.Kill();

        await agent.Process.WaitForExitAsync().WaitAsync(Wait);
        Assert.Contains(agent.Output, line => line.Contains($"Parent process {parent.Id} is gone"));
    }

    [Fact]
    public async Task ControlPlaneStartsLater_AgentRetriesThenRegistersWithMetadataAndReportsHealth()
    {
        await using var controlPlane = new StubControlPlane();
        var deploymentId = Guid.NewGuid();
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["AGENT_NAME"] = "retry-bot",
            ["AGENT_VERSION"] = "2.0",
            ["AGENT_DEPLOYMENT_ID"] = deploymentId.ToString(),
            ["CUTOVER_URL"] = controlPlane.Url.ToString(),
            ["CUTOVER_TOKEN"] = "cut_agt_test",
            ["AGENT_HEALTH_INTERVAL_MS"] = "200",
        });
        await StatusWait.UntilAsync(() => agent.Output.Any(l => l.Contains("Registration attempt 1 failed")), Wait, "a failed first registration");

        await controlPlane.StartAsync();

        await StatusWait.UntilAsync(() => controlPlane.HealthReports.Count >= 2, Wait, "health reports");
        var (authorization, body) = Assert.Single(controlPlane.Registrations);
        Assert.Equal("Bearer cut_agt_test", authorization);
        Assert.Equal("retry-bot", body.GetProperty("name").GetString());
        Assert.Equal(agent.Url.ToString().TrimEnd('/'), body.GetProperty("acpUrl").GetString()!.TrimEnd('/'));
        var metadata = body.GetProperty("registrationMetadata");
        Assert.Equal(deploymentId, metadata.GetProperty("deploymentId").GetGuid());
        Assert.Equal("cutover/sample-agent:2.0", metadata.GetProperty("dockerImage").GetString());
        foreach (var field in new[] { "commitHash", "branch", "authorName", "buildTimestamp" })
            Assert.False(string.IsNullOrEmpty(metadata.GetProperty(field).GetString()), field);
        var (agentId, report) = controlPlane.HealthReports.First();
        Assert.Equal(controlPlane.AgentId, agentId);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(deploymentId, report.GetProperty("deploymentId").GetGuid());
    }

    [Fact]
    public async Task Flapping_ReportsBothHealthyAndUnhealthy()
    {
        await using var controlPlane = new StubControlPlane();
        await controlPlane.StartAsync();
        using var agent = await SampleAgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["CUTOVER_URL"] = controlPlane.Url.ToString(),
            ["AGENT_FLAP_SECONDS"] = "1",
            ["AGENT_HEALTH_INTERVAL_MS"] = "60000",
        });

        // The interval is a minute, so seeing both values in seconds means the agent reported on each change.
        await StatusWait.UntilAsync(() => controlPlane.HealthReports.Select(r => r.Body.GetProperty("status").GetString()).Distinct().Count() == 2,
            Wait, "both Healthy and Unhealthy reports");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> RpcAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
