using System.Text.RegularExpressions;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Creates, lists and deletes the people who sign in. Passwords are hashed with Identity's PBKDF2 hasher; every
/// change is written together with its audit event, and the last admin can never be removed.
/// </summary>
public sealed partial class UserAccounts(
    IDbContextFactory<CutoverDbContext> dbFactory,
    IWriteGate gate,
    IPasswordHasher<User> hasher,
    HubConnections connections,
    ScaleOut.SecurityRelay relay,
    TimeProvider time,
    ILogger<UserAccounts> logger)
{
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName).ToListAsync(cancellationToken);
        return users.Select(UserSummary.From).ToList();
    }

    /// <summary>
    /// Creates a user. With <paramref name="onlyIfNoUsers"/> (first-run setup) it refuses once any user exists,
    /// checked inside the same write, so two racing setup forms cannot both create an admin.
    /// </summary>
    public async Task<Outcome<UserSummary>> CreateAsync(string? userName, string? password, Role? role, string actor,
        CancellationToken cancellationToken, bool onlyIfNoUsers = false)
    {
        if (userName is not null && userName.Any(char.IsControl)) return Failure.Invalid("userName", "A user name has no control characters.");
        var name = userName?.Trim() ?? "";
        if (ValidateUserName(name) is { } nameError) return Failure.Invalid("userName", nameError);
        if (role is null) return Failure.Invalid("role", "Choose a role: Viewer, Operator or Admin.");
        if (PasswordPolicy.Check(password, name) is { } weak) return Failure.Invalid("password", weak);

        var now = time.GetUtcNow().UtcDateTime;
        var user = new User(Guid.CreateVersion7(), name, "", role.Value, now);
        user.PasswordHash = hasher.HashPassword(user, password!);

        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (onlyIfNoUsers && await db.Users.AnyAsync(cancellationToken))
            return Failure.Conflict("Setup is complete: a user already exists. Ask an administrator for an account.");
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == user.NormalizedUserName, cancellationToken))
            return new Failure(FailureKind.Conflict, "Conflict", $"A user named '{name}' already exists.", "userName");

        db.Users.Add(user);
        db.Events.Add(TimelineEvent.Audit(EventKind.UserCreated, actor, $"role {role}", name, now));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserName} created with role {Role} by {Actor}", name, role, actor);
        return UserSummary.From(user);
    }

    /// <summary>Deletes a user; refuses (409) to delete the last admin, which would lock everyone out.</summary>
    public async Task<Outcome<UserSummary>> DeleteAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null) return Failure.NotFound($"No user with id {id}.");
        if (user.Role == Role.Admin && await db.Users.CountAsync(u => u.Role == Role.Admin, cancellationToken) <= 1)
            return Failure.Conflict($"'{user.UserName}' is the last admin; create another admin before deleting this one.");

        db.Users.Remove(user);
        db.Events.Add(TimelineEvent.Audit(EventKind.UserDeleted, actor, null, user.UserName, time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        connections.EndUser(user.Id);
        await relay.UserSessionsEndedAsync(user.Id, CancellationToken.None);
        logger.LogInformation("User {UserName} deleted by {Actor}", user.UserName, actor);
        return UserSummary.From(user);
    }

    /// <summary>
    /// Ends the user's sessions on the server: every cookie issued so far stops working on its next request (the
    /// generation it carries is gone), open hub connections close, and circuits end at their next revalidation.
    /// </summary>
    public async Task EndSessionsAsync(Guid userId, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.SessionGeneration, u => u.SessionGeneration + 1), cancellationToken);
        }

        connections.EndUser(userId);
        await relay.UserSessionsEndedAsync(userId, CancellationToken.None);
    }

    public static string? ValidateUserName(string name)
    {
        if (name.Length == 0) return "A user name is required.";
        if (name.Length > User.UserNameMaxLength) return $"A user name is at most {User.UserNameMaxLength} characters.";
        if (!UserNamePattern().IsMatch(name))
            return "A user name may contain letters, digits and . _ - @ only, and starts with a letter or digit.";
        return null;
    }

    [GeneratedRegex(@"^[\p{L}\p{Nd}][\p{L}\p{Nd}._@-]*\z")]
    private static partial Regex UserNamePattern();
}
