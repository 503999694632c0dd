using System.Net;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>A burst trips the limits: 429 with Retry-After, per caller.</summary>
public sealed class RateLimitTests(RateLimitedAppFactory app) : IClassFixture<RateLimitedAppFactory>
{
    [Fact]
    public async Task SignIn_Burst_Returns429WithRetryAfter()
    {
        using var client = app.CreateClient(bearerToken: null);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 15 && limited is null; i++)
        {
            var response = await SignInForm.SignInAsync(client, "burst", "wrong password " + i);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.NotNull(limited);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK)); // the default: 10 a minute per address
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [Theory]
    [InlineData(RateLimits.Registration)]
    [InlineData(RateLimits.HealthReport)]
    public async Task AgentPolicies_BurstPerToken_Returns429_OtherTokenUnaffected(string policy)
    {
        await using var host = await StartAsync(policy, permitLimit: 3);
        using var client = host.GetTestClient();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) codes.Add((await Post(client, "cut_agt_first")).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.OK, (await Post(client, "cut_agt_second")).StatusCode);
        var limited = await Post(client, "cut_agt_first");
        Assert.True(limited.Headers.RetryAfter is not null || limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public void RateLimitDefaults_AllowTheSampleAgentsCadence()
    {
        // The sample agent reports health every few seconds; with a few deployments sharing one agent token that
        // is well under two a second. The default window must leave that room.
        var defaults = new RateLimitOptions();
        Assert.True(defaults.HealthReport.PermitLimit / defaults.HealthReport.Window.TotalSeconds >= 1.5);
        Assert.True(defaults.SignIn.PermitLimit <= 20);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/limited");
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>A minimal app with the real rate-limiter registration and one endpoint under the named policy.</summary>
    private static async Task<WebApplication> StartAsync(string policy, int permitLimit)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cutover:RateLimits:Registration:PermitLimit"] = permitLimit.ToString(),
            ["Cutover:RateLimits:HealthReport:PermitLimit"] = permitLimit.ToString(),
        });
        builder.Services.AddCutoverRateLimiting(builder.Configuration);
        var web = builder.Build();
        web.UseRateLimiter();
        web.MapPost("/limited", () => Results.Ok()).RequireRateLimiting(policy);
        await web.StartAsync();
        return web;
    }
}
