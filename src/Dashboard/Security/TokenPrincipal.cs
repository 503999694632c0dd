using System.Security.Claims;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>
/// The caller an API token stands for, built once when the token is validated and kept with it in
/// <see cref="TokenCache"/>, so a request with a cached token does not build its claims again. Every request with
/// the token shares the one instance, so it cannot be changed: adding or removing a claim or an identity throws
/// (a change meant for one request would otherwise reach every other). It lives exactly as long as the cache entry:
/// revocation forgets both.
/// </summary>
public sealed class TokenPrincipal : ClaimsPrincipal
{
    private TokenPrincipal(ClaimsIdentity identity) : base(identity)
    {
    }

    public static TokenPrincipal For(Guid tokenId, string name, TokenKind kind, Role? role, string? agentName, Guid? sourceId)
    {
        var claims = new List<Claim>(2 + Enum.GetValues<Role>().Length)
        {
            new(ClaimTypes.Name, name),
            new(CutoverClaims.TokenId, tokenId.ToString()),
        };
        if (kind == TokenKind.Agent && agentName is not null) claims.Add(new Claim(CutoverClaims.AgentName, agentName));
        else if (kind == TokenKind.Ci && sourceId is { } source) claims.Add(new Claim(CutoverClaims.SourceId, source.ToString()));
        else if (role is { } r) claims.AddRange(CutoverClaims.RoleClaims(r));
        return new TokenPrincipal(new FrozenIdentity(claims));
    }

    public override void AddIdentity(ClaimsIdentity identity) => throw Frozen();

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw Frozen();

    private static InvalidOperationException Frozen() =>
        new("A token's principal is shared by every request with that token and cannot be changed.");

    private sealed class FrozenIdentity(IEnumerable<Claim> claims) : ClaimsIdentity(claims, BearerTokenHandler.SchemeName)
    {
        public override void AddClaim(Claim claim) => throw Frozen();

        public override void AddClaims(IEnumerable<Claim?> claims) => throw Frozen();

        public override bool TryRemoveClaim(Claim? claim) => throw Frozen();

        public override void RemoveClaim(Claim? claim) => throw Frozen();
    }
}
