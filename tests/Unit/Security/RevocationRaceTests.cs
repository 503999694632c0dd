using System.Net;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>Revocation wins over a validation that was in flight when it happened (issue 15, item 14).</summary>
public sealed class RevocationRaceTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public void TokenCache_ValidationStartedBeforeRevocation_DoesNotWriteTheTokenBack()
    {
        var cache = new TokenCache(TimeProvider.System);
        var row = new ApiToken(Guid.NewGuid(), "raced", TokenKind.Personal, Role.Admin, null, "cut_pat_abcd", "hash-1",
            DateTime.UtcNow, null, "test");

        var generation = cache.Generation; // the validation starts and reads the row: not yet revoked
        cache.Forget(row.Id);              // the revocation commits and forgets the token
        var entry = cache.Remember("hash-1", row, generation);

        Assert.Equal(row.Id, entry.Id);    // the request in flight may finish with what it read...
        Assert.Null(cache.Find("hash-1")); // ...but the revoked token is not back in the cache
    }

    [Fact]
    public async Task Revoke_WhileRequestsWithTheTokenAreInFlight_NextRequestAlways401()
    {
        using var admin = app.CreateAdminClient();
        var tokens = app.Services.GetRequiredService<ApiTokens>();
        var survived = new List<int>();
        for (var round = 0; round < 200; round++)
        {
            var (id, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
            using var client = app.CreateClient(text);
            var inFlight = Enumerable.Range(0, 6).Select(_ => Task.Run(() => client.GetAsync("/api/agents"))).ToList();
            var revoke = Task.Run(() => tokens.RevokeAsync(id, "test", CancellationToken.None));
            await Task.WhenAll(inFlight.Cast<Task>().Append(revoke));
            Assert.True((await revoke).IsSuccess);

            if ((await client.GetAsync("/api/agents")).StatusCode != HttpStatusCode.Unauthorized) survived.Add(round);
        }

        Assert.Empty(survived);
    }
}
