using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>A user as lists show it: never any password material.</summary>
public sealed record UserSummary(Guid Id, string UserName, Role Role, DateTime CreatedAt, DateTime? LockedUntil)
{
    public static UserSummary From(User u) => new(u.Id, u.UserName, u.Role, u.CreatedAt, u.LockedUntil);
}
