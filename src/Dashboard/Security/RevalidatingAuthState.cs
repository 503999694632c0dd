using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Security;

/// <summary>
/// A circuit keeps the principal it started with. This re-reads it every <see cref="RevalidationInterval"/>: a
/// deleted user, a changed role, or a revoked or expired token ends the circuit's authentication, so the
/// <see cref="ActionGuard"/> checks refuse without waiting for the cookie to expire.
/// </summary>
internal sealed class RevalidatingAuthState(
    ILoggerFactory loggerFactory,
    IDbContextFactory<CutoverDbContext> dbFactory,
    TimeProvider time) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        await IsStillValidAsync(dbFactory, time, state.User, cancellationToken);

    /// <summary>True when the user or token behind <paramref name="principal"/> still exists with the same rights.</summary>
    public static async Task<bool> IsStillValidAsync(IDbContextFactory<CutoverDbContext> dbFactory, TimeProvider time,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (Guid.TryParse(principal.FindFirst(CutoverClaims.UserId)?.Value, out var userId))
        {
            var row = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Role, u.SessionGeneration }).FirstOrDefaultAsync(cancellationToken);
            var claimed = Enum.GetValues<Role>().Where(r => principal.IsInRole(r.ToString())).Cast<Role?>().Max();
            // A cookie from before the user's last sign-out (or one without the stamp) is no longer a session.
            var session = principal.FindFirst(CutoverClaims.Session)?.Value;
            return row is not null && row.Role == claimed
                && session == row.SessionGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Guid.TryParse(principal.FindFirst(CutoverClaims.TokenId)?.Value, out var tokenId))
        {
            var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
            return token is not null && token.IsActive(time.GetUtcNow().UtcDateTime);
        }

        return principal.Identity?.IsAuthenticated != true;
    }
}
