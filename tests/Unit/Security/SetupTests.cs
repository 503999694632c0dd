using System.Net;
using System.Text.RegularExpressions;

namespace Cutover.Tests.Unit.Security;

/// <summary>First run: a one-time code in the log creates the first admin; afterwards /setup is refused.</summary>
public sealed partial class SetupTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task Setup_FirstRun_CodeFromLogCreatesAdminOnce()
    {
        using var client = app.CreateClient(bearerToken: null);
        var code = await WaitForCodeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/setup")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/setup?code=" + new string('0', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup?code=" + code)).StatusCode);

        // A weak password is refused with its reason and does not use the code up.
        var weak = await SignInForm.SubmitAsync(client, "/setup?code=" + code,
            new() { ["Input.UserName"] = "root-admin", ["Input.Password"] = "short", ["Input.Confirm"] = "short" });
        Assert.Contains("at least 12 characters", SignInForm.ErrorText(await weak.Content.ReadAsStringAsync()));

        var created = await SignInForm.SubmitAsync(client, "/setup?code=" + code, new()
        {
            ["Input.UserName"] = "root-admin", ["Input.Password"] = SecurityApi.GoodPassword, ["Input.Confirm"] = SecurityApi.GoodPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        // Signed in as the new admin by the same response.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);

        using var stranger = app.CreateClient(bearerToken: null);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync("/setup?code=" + code)).StatusCode);
        var again = await stranger.PostAsync("/setup?code=" + code, new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.NotEqual(HttpStatusCode.Redirect, again.StatusCode);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(SecurityApi.GoodPassword, StringComparison.Ordinal));
    }

    private async Task<string> WaitForCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = app.Logs.Lines.FirstOrDefault(l => l.Contains("/setup?code=", StringComparison.Ordinal));
            if (line is not null) return CodePattern().Match(line).Groups[1].Value;
            await Task.Delay(50, timeout.Token);
        }
    }

    [GeneratedRegex("/setup\\?code=([0-9a-f]+)")]
    private static partial Regex CodePattern();
}
