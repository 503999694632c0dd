using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> tokens (and <c>access_token</c> on WebSocket hub requests) by hash.
/// Validated tokens are kept in <see cref="TokenCache"/> with the principal they stand for (revocation here removes
/// them at once; expiry is checked on every request), so authenticating a call costs a hash and a lookup, not a
/// database read or a new set of claims.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<CutoverDbContext> dbFactory,
    TokenCache cache,
    FailedAuthLimiter failures,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private static readonly object Throttled = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenHash(Request) is not { } hash) return AuthenticateResult.NoResult();

        var now = time.GetUtcNow().UtcDateTime;
        var entry = cache.Find(hash);
        if (entry is null)
        {
            var address = RateLimits.RemoteAddress(Context);
            if (failures.IsThrottled(address))
            {
                Context.Items[Throttled] = true;
                return AuthenticateResult.Fail("Too many failed authentications from this address.");
            }

            var generation = cache.Generation;
            await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
            var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
            if (row is null || row.RevokedAt is not null) failures.RecordFailure(address);
            if (row is null) return AuthenticateResult.Fail("Unknown token.");
            if (row.RevokedAt is not null) return AuthenticateResult.Fail("The token was revoked.");
            entry = cache.Remember(hash, row, generation);
        }

        if (entry.ExpiresAt is { } expires && expires <= now)
        {
            failures.RecordFailure(RateLimits.RemoteAddress(Context));
            return AuthenticateResult.Fail("The token has expired.");
        }

        if (LastUsedStampDue(entry, now)) await StampLastUsedAsync(hash, entry, now);
        RememberHash(Request, hash);
        return AuthenticateResult.Success(new AuthenticationTicket(entry.Principal, SchemeName));
    }

    /// <summary>A caller throttled for failed authentications gets 429 with Retry-After, not another 401 to retry.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Context.Items.ContainsKey(Throttled))
        {
            await base.HandleChallengeAsync(properties);
            return;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(failures.Window.TotalSeconds));
        Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Problem(
                title: "Too many requests",
                detail: $"Too many failed authentications from this address. Try again in {seconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests,
                type: "https://httpstatuses.io/429")
            .ExecuteAsync(Context);
    }

    /// <summary>
    /// Records when the token was last used, at most once a minute per token: the list shows stale tokens, and a
    /// write on every request would make each API call (and each agent health report) a database write.
    /// </summary>
    private async Task StampLastUsedAsync(string hash, TokenCache.CachedToken entry, DateTime now)
    {
        cache.Touched(hash, now);
        var earlier = now - LastUsedResolution;
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        await db.ApiTokens
            .Where(t => t.Id == entry.Id && (t.LastUsedAt == null || t.LastUsedAt < earlier))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
    }

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>True when a request with this token should record its use (at most once a minute).</summary>
    public static bool LastUsedStampDue(TokenCache.CachedToken entry, DateTime now) =>
        entry.LastUsedAt is not { } last || now - last >= LastUsedResolution;

    /// <summary>True when the request carries a token (<see cref="TokenHash"/> would not be null); reads without copying.</summary>
    public static bool HasToken(HttpRequest request) => TryReadToken(request, out _);

    /// <summary>The SHA-256 (hex) of the request's token, the key it is stored and cached by; null without a token.</summary>
    public static string? TokenHash(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (HeaderHashes.TryGetValue(header, out var known)) return known;
        if (!TryReadToken(request, out var token)) return null;
        return TokenSecrets.Hash(token);
    }

    /// <summary>
    /// Remembers the hash of a request's <c>Authorization: Bearer</c> header once its token proved valid. Only a
    /// bearer header, whose own text is the token: a token from the hub query must never be found again through
    /// some other header the request happened to carry.
    /// </summary>
    private static void RememberHash(HttpRequest request, string hash)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !HeaderHashes.TryGetValue(header, out _))
            HeaderHashes.AddOrUpdate(header, hash);
    }

    /// <summary>
    /// Token hashes by the identity of their header string. Kestrel hands a keep-alive connection's repeated header
    /// value back as the same string instance, so a caller's next request finds its hash by that instance: no
    /// hashing, and no comparison of the secret's text (the lookup never looks at the characters; a string's text
    /// never changes, so its hash cannot either). Only bearer headers of tokens that proved valid are kept, and an
    /// entry lives only as long as its string. Validity is not remembered here: that is TokenCache's, as before.
    /// </summary>
    private static readonly ConditionalWeakTable<string, string> HeaderHashes = new();

    /// <summary>
    /// The bearer header, or for WebSocket/SSE hub connections the <c>access_token</c> query parameter, as a span of
    /// the header's own text: the secret is hashed from it and never copied into a string of its own.
    /// </summary>
    private static bool TryReadToken(HttpRequest request, out ReadOnlySpan<char> token)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header.AsSpan("Bearer ".Length).Trim();
            return token.Length > 0;
        }

        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var q) && q.Count > 0
            && q[0] is { } value)
        {
            token = value;
            return true;
        }

        token = default;
        return false;
    }
}
