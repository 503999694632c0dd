using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Cutover.Tests.Unit.Infrastructure;
using Cutover.Tests.Unit.Security;

namespace Cutover.Tests.Unit.Live;

/// <summary>Revoking a token, deleting a user and signing out end sessions and hub connections (API.md).</summary>
public sealed class SessionEndTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RevokeToken_OpenHubConnection_IsClosed()
    {
        using var admin = Client(CutoverAppFactory.AdminToken);
        var (id, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        await using var hub = await StatusHubClient.ConnectAsync(app.Address, text);
        await hub.Connection.InvokeAsync("Subscribe", Guid.NewGuid()); // the connection works

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{id}")).StatusCode);

        await WaitClosedAsync(hub);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusHubClient.RefusalAsync(app.Address, text));
    }

    [Fact]
    public async Task RevokeAnotherToken_OpenHubConnection_StaysOpen()
    {
        using var admin = Client(CutoverAppFactory.AdminToken);
        var (_, kept) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        var (other, _) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        await using var hub = await StatusHubClient.ConnectAsync(app.Address, kept);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{other}")).StatusCode);

        await hub.Connection.InvokeAsync("Subscribe", Guid.NewGuid()); // still answered
        Assert.False(hub.Closed.IsCompleted);
    }

    [Fact]
    public async Task SignOut_OldCookieReplayed_NoLongerWorks()
    {
        using var admin = Client(CutoverAppFactory.AdminToken);
        var name = "replay" + Guid.NewGuid().ToString("N")[..8];
        await SecurityApi.CreateUserAsync(admin, name, "Admin");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };
        var signIn = await SignInForm.SignInAsync(browser, name, SecurityApi.GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cutover.auth=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await Replay(cookie, "/users")).StatusCode);

        var login = await browser.GetAsync("/login");
        var token = SignInForm.HiddenFields(await login.Content.ReadAsStringAsync()).First(f => f.Key == "__RequestVerificationToken");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/logout", new FormUrlEncodedContent([token]))).StatusCode);

        var replayed = await Replay(cookie, "/users");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains("/login", replayed.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Replay(cookie, "/api/agents")).StatusCode);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("https", true)]
    public async Task SignIn_BehindTrustedProxy_CookieSecureOnlyForHttps(string? forwardedProto, bool secure)
    {
        using var admin = Client(CutoverAppFactory.AdminToken);
        var name = "secure" + Guid.NewGuid().ToString("N")[..8];
        await SecurityApi.CreateUserAsync(admin, name, "Viewer");
        // Cookies carried by hand: a cookie jar would not send a Secure cookie back over this plain-HTTP socket.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Address };
        if (forwardedProto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        var page = await client.GetAsync("/login");
        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var form = new Dictionary<string, string>(SignInForm.HiddenFields(await page.Content.ReadAsStringAsync()))
        {
            ["Input.UserName"] = name,
            ["Input.Password"] = SecurityApi.GoodPassword,
        };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent(form) };
        post.Headers.Add("Cookie", antiforgery);
        var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cutover.auth=", StringComparison.Ordinal));
        Assert.Equal(secure, auth.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<HttpResponseMessage> Replay(string cookie, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static Task WaitClosedAsync(StatusHubClient hub) => hub.Closed.WaitAsync(Wait);

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
