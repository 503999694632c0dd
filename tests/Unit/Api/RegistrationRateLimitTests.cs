using System.Net;
using System.Net.Http.Json;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Api;

/// <summary>The real registration endpoint carries the registration rate limit: a burst gets 429 with Retry-After.</summary>
public sealed class RegistrationRateLimitTests : IDisposable
{
    private readonly CutoverAppFactory _app = new CutoverAppFactory().With("Cutover:RateLimits:Registration:PermitLimit", "3");

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Register_BurstOverLimit_429WithRetryAfterAndNothingWrittenForRefused()
    {
        using var client = _app.CreateAdminClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6; i++)
        {
            var r = await client.PostAsJsonAsync("/api/agents/register", new { name = $"burst-{i}", acpUrl = "http://127.0.0.1:9/x" });
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) refused ??= r;
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(refused);
        Assert.True(refused!.Headers.RetryAfter is not null, "429 must say when to retry");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/agents/by-name/burst-5")).StatusCode);
    }
}
