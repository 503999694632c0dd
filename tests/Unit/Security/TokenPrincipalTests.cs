using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;
using Microsoft.AspNetCore.Http;

namespace Cutover.Tests.Unit.Security;

/// <summary>The principal a cached token stands for (shared by every request with it) and how a request's token is read.</summary>
public sealed class TokenPrincipalTests
{
    [Fact]
    public void For_EachKind_CarriesItsBindingAndNothingElse()
    {
        var id = Guid.NewGuid();
        var source = Guid.NewGuid();
        var admin = TokenPrincipal.For(id, "ops", TokenKind.Personal, Role.Admin, null, null);
        var agent = TokenPrincipal.For(id, "bot", TokenKind.Agent, null, "search-bot", null);
        var ci = TokenPrincipal.For(id, "ci", TokenKind.Ci, null, null, source);

        Assert.Equal("ops", admin.Identity?.Name);
        Assert.Equal(BearerTokenHandler.SchemeName, admin.Identity?.AuthenticationType);
        Assert.True(admin.Identity?.IsAuthenticated);
        Assert.Equal(id.ToString(), admin.FindFirst(CutoverClaims.TokenId)?.Value);
        Assert.True(admin.IsInRole(nameof(Role.Viewer)) && admin.IsInRole(nameof(Role.Operator)) && admin.IsInRole(nameof(Role.Admin)));
        Assert.Equal("token:ops", admin.Actor());

        Assert.Equal("search-bot", agent.BoundAgentName());
        Assert.False(agent.IsInRole(nameof(Role.Viewer)));
        Assert.Equal("agent:search-bot", agent.Actor());

        Assert.Equal(source, ci.BoundSourceId());
        Assert.False(ci.IsInRole(nameof(Role.Viewer)));
        Assert.Null(ci.BoundAgentName());
    }

    [Fact]
    public void SharedPrincipal_AnyChange_Throws_AndLeavesItAsItWas()
    {
        var principal = TokenPrincipal.For(Guid.NewGuid(), "viewer", TokenKind.Personal, Role.Viewer, null, null);
        var identity = Assert.Single(principal.Identities);
        var before = principal.Claims.Select(c => (c.Type, c.Value)).ToList();

        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(new Claim(ClaimTypes.Role, nameof(Role.Admin))));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([new Claim(ClaimTypes.Role, nameof(Role.Admin))]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(identity.FindFirst(ClaimTypes.Name)));
        Assert.Throws<InvalidOperationException>(() => identity.TryRemoveClaim(identity.FindFirst(ClaimTypes.Name)));
        Assert.Throws<InvalidOperationException>(() => principal.AddIdentity(new ClaimsIdentity([new Claim(ClaimTypes.Role, nameof(Role.Admin))], "x")));
        Assert.Throws<InvalidOperationException>(() => principal.AddIdentities([new ClaimsIdentity()]));

        Assert.Equal(before, principal.Claims.Select(c => (c.Type, c.Value)).ToList());
        Assert.False(principal.IsInRole(nameof(Role.Admin)));
    }

    [Fact]
    public void TokenCache_Remember_KeepsThePrincipalWithTheToken_ForgetDropsBoth()
    {
        var cache = new TokenCache(TimeProvider.System);
        var row = new ApiToken(Guid.NewGuid(), "ops", TokenKind.Personal, Role.Operator, null, "cut_pat_abcd", "hash-p",
            DateTime.UtcNow, null, "test");

        var entry = cache.Remember("hash-p", row, cache.Generation);

        Assert.Same(entry.Principal, cache.Find("hash-p")?.Principal);
        Assert.True(entry.Principal.IsInRole(nameof(Role.Operator)));
        cache.Forget(row.Id);
        Assert.Null(cache.Find("hash-p"));
    }

    [Theory]
    [InlineData("Bearer cut_pat_abc", "/api/agents", "cut_pat_abc")]
    [InlineData("bearer   cut_pat_abc  ", "/api/agents", "cut_pat_abc")]
    [InlineData("Bearer ", "/api/agents", null)]
    [InlineData("Basic dXNlcjpwYXNz", "/api/agents", null)]
    [InlineData(null, "/api/agents", null)]
    public void TokenHash_FromTheHeader_IsTheStoredHashOfTheTokenText(string? header, string path, string? token)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        if (header is not null) context.Request.Headers.Authorization = header;

        Assert.Equal(token is null ? null : TokenSecrets.Hash(token), BearerTokenHandler.TokenHash(context.Request));
        Assert.Equal(token is not null, BearerTokenHandler.HasToken(context.Request));
    }

    [Fact]
    public void TokenHash_HubQueryToken_OnlyOnHubPaths()
    {
        var hub = new DefaultHttpContext();
        hub.Request.Path = "/hubs/status";
        hub.Request.QueryString = new QueryString("?access_token=cut_pat_hub");
        var api = new DefaultHttpContext();
        api.Request.Path = "/api/agents";
        api.Request.QueryString = new QueryString("?access_token=cut_pat_hub");

        Assert.Equal(TokenSecrets.Hash("cut_pat_hub"), BearerTokenHandler.TokenHash(hub.Request));
        Assert.Null(BearerTokenHandler.TokenHash(api.Request));
    }
}
