using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cutover.Dashboard.Security;
using Cutover.Tests.Unit.Infrastructure;
using Microsoft.AspNetCore.TestHost;

namespace Cutover.Tests.Unit.Security;

/// <summary>Security headers and the cross-origin check on the circuit and hub handshakes.</summary>
public sealed class WebHardeningTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/healthz")]
    [InlineData("/api/tokens")]
    [InlineData("/app.css")]
    public async Task Responses_CarrySecurityHeaders(string path)
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.GetAsync(path);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("connect-src 'self' ws: wss:", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task InteractivePage_HasOneCspOnly()
    {
        // Blazor adds its own frame-ancestors policy unless switched off; two policies would be confusing to audit.
        using var client = app.CreateClient(CutoverAppFactory.AdminToken);
        var response = await client.GetAsync("/system");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:8080", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", HttpStatusCode.OK)]
    public async Task BlazorNegotiate_Origin_SameSiteOnly(string origin, HttpStatusCode expected)
    {
        using var client = app.CreateClient(CutoverAppFactory.AdminToken);
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task BlazorWebSocket_ForeignOrigin_Refused403_SameOrigin_Accepted()
    {
        using var client = app.CreateClient(CutoverAppFactory.AdminToken);
        var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        var url = new Uri(app.Server.BaseAddress, $"/_blazor?id={token}".Replace("http", "ws", StringComparison.Ordinal));

        var foreign = app.Server.CreateWebSocketClient();
        foreign.ConfigureRequest = r =>
        {
            r.Headers.Origin = "http://evil.example";
            r.Headers.Authorization = "Bearer " + CutoverAppFactory.AdminToken;
        };
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => foreign.ConnectAsync(url, CancellationToken.None));
        Assert.Contains("403", refused.Message);

        var same = app.Server.CreateWebSocketClient();
        same.ConfigureRequest = r =>
        {
            r.Headers.Origin = "http://localhost";
            r.Headers.Authorization = "Bearer " + CutoverAppFactory.AdminToken;
        };
        using var socket = await same.ConnectAsync(url, CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    [Theory]
    [InlineData("https://cutover.example", "cutover.example", false)]
    [InlineData("https://cutover.example", "cutover.example:443", false)]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000", false)]
    [InlineData("https://cutover.example", "cutover.example:8443", true)]
    [InlineData("https://evil.example", "cutover.example", true)]
    [InlineData("https://cutover.example.evil.example", "cutover.example", true)]
    [InlineData("file://", "cutover.example", true)]
    public void OriginCheck_ComparesHostAndPort(string origin, string host, bool foreign)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.Origin = origin;
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString(host);
        Assert.Equal(foreign, OriginCheck.IsForeign(context.Request));
    }
}
