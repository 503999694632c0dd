using System.Security.Claims;
using System.Text.Encodings.Web;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> tokens (and <c>access_token</c> on WebSocket hub requests) by hash.
/// Validated tokens are kept in <see cref="TokenCache"/> (revocation here removes them at once; expiry is checked
/// on every request), so authenticating does not cost a database read per call.
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
        var token = ReadToken(Request);
        if (token is null) return AuthenticateResult.NoResult();

        var hash = TokenSecrets.Hash(token);
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
        await StampLastUsedAsync(hash, entry, now);

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, entry.Name),
            new(CutoverClaims.TokenId, entry.Id.ToString()),
        };
        if (entry.Kind == TokenKind.Agent && entry.AgentName is not null)
        {
            claims.Add(new Claim(CutoverClaims.AgentName, entry.AgentName));
        }
        else if (entry.Kind == TokenKind.Ci && entry.SourceId is { } sourceId)
        {
            claims.Add(new Claim(CutoverClaims.SourceId, sourceId.ToString()));
        }
        else if (entry.Role is { } role)
        {
            claims.AddRange(CutoverClaims.RoleClaims(role));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
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
        if (!LastUsedStampDue(entry, now)) return;
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

    /// <summary>The bearer header, or for WebSocket/SSE hub connections the <c>access_token</c> query parameter.</summary>
    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // Trimmed as a span: one string for the token, not a substring and then a trimmed copy.
            var value = header.AsSpan("Bearer ".Length).Trim();
            return value.Length > 0 ? value.ToString() : null;
        }

        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var q) && q.Count > 0)
        {
            return q[0];
        }

        return null;
    }
}
