using System.Net;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>Cookie sign-in at /login over HTTP: success, wrong password, lock-out by the clock, audit, sign-out.</summary>
public sealed class SignInTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task SignIn_RightPassword_SetsCookieAndOpensPages()
    {
        var name = await NewUserAsync("Operator");
        using var client = app.CreateClient(bearerToken: null);

        var response = await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", SignInForm.RedirectPath(response));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cutover.auth=", StringComparison.Ordinal) && c.Contains("httponly"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/system")).StatusCode);
        // An operator is not an admin: the cookie carries the role.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users")).StatusCode);
        Assert.Contains(await AuditAsync(EventKind.SignedIn), e => e.To == name && e.Actor == $"user:{name}");
    }

    [Fact]
    public async Task SignIn_ReturnUrl_OnlyLocalPathsAreFollowed()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);
        var local = await SignInForm.SubmitAsync(client, "/login?returnUrl=%2Fsystem",
            new() { ["Input.UserName"] = name, ["Input.Password"] = SecurityApi.GoodPassword });
        Assert.Equal("/system", SignInForm.RedirectPath(local));

        using var other = app.CreateClient(bearerToken: null);
        var foreign = await SignInForm.SubmitAsync(other, "/login?returnUrl=%2F%2Fevil.example%2Fx",
            new() { ["Input.UserName"] = name, ["Input.Password"] = SecurityApi.GoodPassword });
        Assert.Equal("/", SignInForm.RedirectPath(foreign));
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndAudits()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);

        var response = await SignInForm.SignInAsync(client, name, "not the password at all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal("The user name or password is not correct.", SignInForm.ErrorText(html));
        Assert.DoesNotContain("not the password at all", html);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cutover.auth=", StringComparison.Ordinal)));
        var failed = Assert.Single(await AuditAsync(EventKind.SignInFailed), e => e.To == name);
        Assert.Equal("wrong password", failed.Reason);
        Assert.DoesNotContain("not the password", failed.Actor + failed.Reason + failed.To);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LocksAccountUntilClockPasses()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);
        for (var i = 0; i < 4; i++) await SignInForm.SignInAsync(client, name, "wrong password " + i);
        var fifth = await SignInForm.SignInAsync(client, name, "wrong password 5");
        Assert.Contains("locked", SignInForm.ErrorText(await fifth.Content.ReadAsStringAsync()));

        // Locked: even the right password is refused.
        var locked = await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Try again in 15 minutes", SignInForm.ErrorText(await locked.Content.ReadAsStringAsync()));

        app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var after = await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        var reasons = (await AuditAsync(EventKind.SignInFailed)).Where(e => e.To == name).Select(e => e.Reason).ToList();
        Assert.Equal(["wrong password", "wrong password", "wrong password", "wrong password", "wrong password; account locked", "locked out"], reasons);
    }

    [Fact]
    public async Task SignIn_ThirtyConcurrentWrongGuesses_ExactlyFiveEvaluatedOneLockThenRightPasswordRefused()
    {
        var signIn = app.Services.GetRequiredService<PasswordSignIn>();
        for (var burst = 0; burst < 3; burst++)
        {
            var name = await NewUserAsync("Viewer");
            var results = await Task.WhenAll(Enumerable.Range(0, 30)
                .Select(i => Task.Run(() => signIn.SignInAsync(name, $"wrong guess {i}", "203.0.113.9", default))));
            Assert.DoesNotContain(results, r => r.Succeeded);

            var reasons = (await AuditAsync(EventKind.SignInFailed)).Where(e => e.To == name).Select(e => e.Reason).ToList();
            Assert.Equal(4, reasons.Count(r => r == "wrong password"));
            Assert.Single(reasons, r => r == "wrong password; account locked");
            Assert.Equal(25, reasons.Count(r => r == "locked out"));
            Assert.False((await signIn.SignInAsync(name, SecurityApi.GoodPassword, "203.0.113.9", default)).Succeeded);
        }
    }

    [Fact]
    public async Task SignIn_UnknownUser_SameMessageAsWrongPassword()
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await SignInForm.SignInAsync(client, "nobody-" + Guid.NewGuid().ToString("N")[..8], SecurityApi.GoodPassword);
        Assert.Equal("The user name or password is not correct.", SignInForm.ErrorText(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task SignIn_PostWithoutAntiforgeryToken_Returns400()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.UserName"] = name, ["Input.Password"] = SecurityApi.GoodPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithAntiforgery_ClearsCookie_WithoutToken_Returns400()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword)).StatusCode);

        var forged = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/system")).StatusCode);

        // The antiforgery token of a page rendered for this user (the layout's sign-out form carries the same kind).
        var login = await client.GetAsync("/login");
        var token = SignInForm.HiddenFields(await login.Content.ReadAsStringAsync()).First(f => f.Key == "__RequestVerificationToken");
        var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent([token]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", SignInForm.RedirectPath(signOut));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/system")).StatusCode);
    }

    [Fact]
    public async Task DeletedUser_CookieStopsWorkingOnNextRequest()
    {
        var name = await NewUserAsync("Viewer");
        using var client = app.CreateClient(bearerToken: null);
        await SignInForm.SignInAsync(client, name, SecurityApi.GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/system")).StatusCode);

        using var admin = app.CreateAdminClient();
        var id = await UserIdAsync(name);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/system")).StatusCode);
    }

    private async Task<string> NewUserAsync(string role)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..10];
        using var admin = app.CreateAdminClient();
        await SecurityApi.CreateUserAsync(admin, name, role);
        return name;
    }

    private async Task<Guid> UserIdAsync(string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync();
    }

    private async Task<List<TimelineEvent>> AuditAsync(EventKind kind)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CutoverDbContext>>().CreateDbContextAsync();
        return await db.Events.Where(e => e.Kind == kind).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync();
    }
}
