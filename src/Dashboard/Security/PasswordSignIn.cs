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
            return await FailAsync(actor, "unknown user", subject, now, WrongCredentials, cancellationToken);
        }

        // Each attempt takes one of the account's attempts atomically before its password is verified, so however
        // many guesses arrive together, at most MaxFailedAttempts are ever evaluated before the lock holds.
        var attempt = await ReserveAttemptAsync(user.Id, now, cancellationToken);
        if (!attempt.Allowed && attempt.LockedUntil is { } until)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
            return await FailAsync(actor, "locked out", user.UserName, now,
                $"Too many failed sign-ins: the account is locked. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.",
                cancellationToken);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (attempt.LockedUntil is not null)
            {
                var options = lockout.Value;
                logger.LogWarning("User {UserName} locked out for {Duration} after {Count} failed sign-ins",
                    user.UserName, options.Duration, options.MaxFailedAttempts);
                return await FailAsync(actor, "wrong password; account locked", user.UserName, now,
                    $"Too many failed sign-ins: the account is locked for {(int)Math.Ceiling(options.Duration.TotalMinutes)} minutes.",
                    cancellationToken);
            }

            return await FailAsync(actor, "wrong password", user.UserName, now, WrongCredentials, cancellationToken);
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
            new(CutoverClaims.Session, user.SessionGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(CutoverClaims.RoleClaims(user.Role));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>
    /// Counts an attempt in one conditional UPDATE (atomic on SQLite and PostgreSQL alike): only an account that is
    /// not locked gets it, a lock that has run out starts a fresh count, and the attempt that reaches the limit sets
    /// the lock in the same statement. A correct password then resets the count; a wrong one leaves it counted.
    /// Returns whether the attempt may go ahead and, when it may not or when it set the lock, until when.
    /// </summary>
    private async Task<Attempt> ReserveAttemptAsync(Guid userId, DateTime now, CancellationToken cancellationToken)
    {
        var options = lockout.Value;
        var max = Math.Max(1, options.MaxFailedAttempts);
        var until = now + options.Duration;
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.Users
            .Where(u => u.Id == userId && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.FailedSignIns, u => u.LockedUntil != null ? 1 : u.FailedSignIns + 1)
                .SetProperty(u => u.LockedUntil, u => (u.LockedUntil != null ? 1 : u.FailedSignIns + 1) >= max ? until : (DateTime?)null),
                cancellationToken);
        // Read inside the transaction that holds the row: this attempt's own count, not a later one's.
        var lockedUntil = await db.Users.Where(u => u.Id == userId).Select(u => u.LockedUntil).FirstOrDefaultAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new Attempt(taken == 1, lockedUntil ?? (taken == 1 ? null : now));
    }

    /// <summary>Allowed: the attempt was counted. LockedUntil: set when the account is locked (by this attempt, if allowed).</summary>
    private readonly record struct Attempt(bool Allowed, DateTime? LockedUntil);

    /// <summary>Records a failed attempt in the audit trail (the count was taken by <see cref="ReserveAttemptAsync"/>).</summary>
    private async Task<SignInResult> FailAsync(string actor, string reason, string subject, DateTime now, string message,
        CancellationToken cancellationToken)
    {
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Events.Add(TimelineEvent.Audit(EventKind.SignInFailed, actor, reason, subject, now));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Sign-in failed for {UserName}: {Reason}", subject, reason);
        return SignInResult.Failed(message);
    }
}
