using System.Security.Claims;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

public static class CutoverClaims
{
    /// <summary>The agent name an agent token is bound to.</summary>
    public const string AgentName = "cutover:agent";

    public const string TokenId = "cutover:token";

    /// <summary>The source a ci token is bound to.</summary>
    public const string SourceId = "cutover:source";

    public const string UserId = "cutover:user";

    /// <summary>The user's <see cref="User.SessionGeneration"/> when the cookie was issued.</summary>
    public const string Session = "cutover:session";

    /// <summary>Roles are cumulative: an admin also holds Operator and Viewer, so each policy checks one role.</summary>
    public static IEnumerable<Claim> RoleClaims(Role role) =>
        Enum.GetValues<Role>().Where(r => r <= role).Select(r => new Claim(ClaimTypes.Role, r.ToString()));

    /// <summary>Who did it, for events and audit: <c>user:alice</c>, <c>token:ci</c>, <c>agent:search-bot</c>.</summary>
    public static string Actor(this ClaimsPrincipal principal)
    {
        if (principal.FindFirst(AgentName)?.Value is { } agent) return $"agent:{agent}";
        var name = principal.Identity?.Name ?? "anonymous";
        return principal.FindFirst(TokenId) is not null ? $"token:{name}" : $"user:{name}";
    }

    public static string? BoundAgentName(this ClaimsPrincipal principal) => principal.FindFirst(AgentName)?.Value;

    public static bool IsAgentToken(this ClaimsPrincipal principal) => principal.FindFirst(AgentName) is not null;

    /// <summary>The source a ci token may sync; null for every other caller.</summary>
    public static Guid? BoundSourceId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(SourceId)?.Value, out var id) ? id : null;
}
