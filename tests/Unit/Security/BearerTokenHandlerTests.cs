using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cutover.Tests.Unit.Security;

/// <summary>
/// The bearer handler run directly on requests that share one header string instance, as Kestrel shares a kept-alive
/// connection's repeated header: the token's hash is memoized by that instance, never its validity or another token.
/// </summary>
public sealed class BearerTokenHandlerTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    [Fact]
    public async Task SameHeaderString_TokenRevokedBetweenRequests_SecondIsRefused()
    {
        using var admin = app.CreateAdminClient();
        var (id, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        var header = "Bearer " + text;

        Assert.True((await AuthenticateAsync("/api/agents", header, null)).Succeeded);
        Assert.True((await AuthenticateAsync("/api/agents", header, null)).Succeeded);
        Assert.True((await app.Services.GetRequiredService<ApiTokens>().RevokeAsync(id, "user:test", CancellationToken.None)).IsSuccess);

        var after = await AuthenticateAsync("/api/agents", header, null);
        Assert.False(after.Succeeded);
        Assert.NotNull(after.Failure);
    }

    [Fact]
    public async Task HubQueryToken_BesideAnotherAuthorizationHeader_IsNotFoundAgainThroughThatHeader()
    {
        using var admin = app.CreateAdminClient();
        var (_, text) = await SecurityApi.CreatePersonalTokenAsync(admin, "Viewer");
        var basic = "Basic dXNlcjpwYXNzd29yZA==" + Guid.NewGuid().ToString("N"); // one string instance, used for all three

        Assert.True((await AuthenticateAsync("/hubs/status", basic, text)).Succeeded);

        var otherQuery = await AuthenticateAsync("/hubs/status", basic, "cut_pat_" + Guid.NewGuid().ToString("N"));
        Assert.False(otherQuery.Succeeded);
        var noToken = await AuthenticateAsync("/api/agents", basic, null);
        Assert.True(noToken.None);
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string path, string authorization, string? accessToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Path = path;
        context.Request.Headers.Authorization = authorization;
        if (accessToken is not null) context.Request.QueryString = QueryString.Create("access_token", accessToken);
        var handler = await scope.ServiceProvider.GetRequiredService<IAuthenticationHandlerProvider>().GetHandlerAsync(context, BearerTokenHandler.SchemeName);
        return await handler!.AuthenticateAsync();
    }
}
