using System.Net;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Security;

/// <summary>The app with a low failed-authentication budget per address.</summary>
public sealed class FailedAuthAppFactory : CutoverAppFactory
{
    public FailedAuthAppFactory() => With("Cutover:RateLimits:FailedAuthentication:PermitLimit", "10");
}

/// <summary>A flood of random bearer tokens is throttled per address; known-good cached tokens keep working.</summary>
public sealed class FailedAuthLimitTests(FailedAuthAppFactory app) : IClassFixture<FailedAuthAppFactory>
{
    [Fact]
    public async Task RandomBearerTokens_Flood_429AfterTheBudgetWhileACachedTokenStillWorks()
    {
        using var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/agents")).StatusCode); // cached from here on

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var guess = app.CreateClient("cut_pat_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..11]);
            var response = await guess.GetAsync("/api/agents");
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After"))), 1, 60);
            }
        }

        Assert.Equal(10, codes.Count(c => c == HttpStatusCode.Unauthorized));
        Assert.Equal(30, codes.Count(c => c == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/agents")).StatusCode);
    }
}
