using System.Net;

namespace Cutover.Tests.Unit.Security;

/// <summary>Sign-in cookies survive a restart: the DataProtection keys live next to the SQLite file.</summary>
public sealed class KeyPersistenceTests
{
    [Fact]
    public async Task Cookie_FromOneInstance_AcceptedByNextInstanceOnSameDataFolder()
    {
        using var first = new SecurityAppFactory();
        using var admin = first.CreateAdminClient();
        await SecurityApi.CreateUserAsync(admin, "restart-user", "Viewer");
        using var browser = first.CreateClient(bearerToken: null);
        var signIn = await SignInForm.SignInAsync(browser, "restart-user", SecurityApi.GoodPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cutover.auth=", StringComparison.Ordinal)).Split(';')[0];
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(first.Directory, "keys"), "key-*.xml"));

        using var second = new SecurityAppFactory();
        second.With("ConnectionStrings:Cutover", $"Data Source={first.DatabasePath}");
        using var restarted = second.CreateClient(bearerToken: null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/system");
        request.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await restarted.SendAsync(request)).StatusCode);

        // Control: the same cookie on an instance with its own (other) keys is not accepted.
        using var stranger = new SecurityAppFactory();
        using var other = stranger.CreateClient(bearerToken: null);
        var foreign = new HttpRequestMessage(HttpMethod.Get, "/system");
        foreign.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SendAsync(foreign)).StatusCode);
    }
}
