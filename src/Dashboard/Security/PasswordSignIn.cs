using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Checks a user name and password: lock-out after repeated failures (by the injected clock), an audit event for
/// every attempt, and the same work (one hash verification) whether or not the user exists, so timing does not
/// reveal user names. The password itself goes nowhere but the hasher.
/// </summary>
public sealed class PasswordSignIn(
    IDbContextFactory<CutoverDbContext> dbFactory,
    IWriteGate gate,
    IPasswordHasher<User> hasher,
    TimeProvider time,
    IOptions<LockoutOptions> lockout,
    ILogger<PasswordSignIn> logger)
{
    public const string WrongCredentials = "The user name or password is not correct.";

    /// <summary>A hash of a random password, verified when the user does not exist, to spend the same time.</summary>
    private readonly Lazy<string> _decoyHash = new(() =>
        hasher.HashPassword(new User(Guid.Empty, "decoy", "", Role.Viewer, DateTime.UnixEpoch), TokenSecrets.NewToken(TokenKind.Personal)));

    public async Task<SignInResult> SignInAsync(string? userName, string? password, string? from, CancellationToken cancellationToken)
    {
        var name = (userName ?? "").Trim();
        var subject = name.Length > User.UserNameMaxLength ? name[..User.UserNameMaxLength] : name;
        var actor = $"anonymous@{from ?? "unknown"}";
        if (name.Length == 0 || string.IsNullOrEmpty(password)) return SignInResult.Failed("Enter your user name and password.");

        // Read and verify outside the write gate: PBKDF2 takes tens of milliseconds and must not hold up status writes.
        User? user;
        await using (var read = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var normalized = User.Normalize(name);
            user = await read.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            hasher.VerifyHashedPassword(new User(Guid.Empty, "decoy", "", Role.Viewer, now), _decoyHash.Value, password);
            return await FailAsync(null, actor, "unknown user", subject, now, WrongCredentials, cancellationToken);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
            return await FailAsync(null, actor, "locked out", user.UserName, now,
                $"Too many failed sign-ins: the account is locked. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.",
                cancellationToken);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return await FailAsync(user, actor, "wrong password", user.UserName, now, WrongCredentials, cancellationToken);
        }

        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tracked = await db.Users.FirstOrDefaultAsync(u => u.Id == user.Id, cancellationToken);
        if (tracked is null) return SignInResult.Failed(WrongCredentials);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) tracked.PasswordHash = hasher.HashPassword(tracked, password);
        tracked.FailedSignIns = 0;
        tracked.LockedUntil = null;
        db.Events.Add(TimelineEvent.Audit(EventKind.SignedIn, $"user:{tracked.UserName}", from is null ? null : $"from {from}",
            tracked.UserName, now));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("User {UserName} signed in", tracked.UserName);
        return SignInResult.Success(CreatePrincipal(tracked));
    }

    public static ClaimsPrincipal CreatePrincipal(User user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName),
            new(CutoverClaims.UserId, user.Id.ToString()),
        };
        claims.AddRange(CutoverClaims.RoleClaims(user.Role));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// Records a failed attempt; for a wrong password also counts it (atomically, so parallel guesses cannot
    /// overwrite each other's count) and locks the account when the count reaches the limit.
    /// </summary>
    private async Task<SignInResult> FailAsync(User? user, string actor, string reason, string subject, DateTime now,
        string message, CancellationToken cancellationToken)
    {
        var options = lockout.Value;
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (user is not null)
        {
            var row = db.Users.Where(u => u.Id == user.Id);
            await row.ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), cancellationToken);
            var failures = await row.Select(u => u.FailedSignIns).FirstOrDefaultAsync(cancellationToken);
            if (failures >= options.MaxFailedAttempts)
            {
                var until = now + options.Duration;
                await row.ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.FailedSignIns, 0)
                    .SetProperty(u => u.LockedUntil, until), cancellationToken);
                reason += "; account locked";
                message = $"Too many failed sign-ins: the account is locked for {(int)Math.Ceiling(options.Duration.TotalMinutes)} minutes.";
                logger.LogWarning("User {UserName} locked out until {Until:O} after {Count} failed sign-ins",
                    user.UserName, until, options.MaxFailedAttempts);
            }
        }

        db.Events.Add(TimelineEvent.Audit(EventKind.SignInFailed, actor, reason, subject, now));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Sign-in failed for {UserName}: {Reason}", subject, reason);
        return SignInResult.Failed(message);
    }
}
