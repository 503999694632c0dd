using System.Security.Claims;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>
/// The one rule for acting on behalf of an agent (register it, report its health). Endpoints call this after
/// their policy (<see cref="Policies.AgentOrOperator"/> or <see cref="Policies.Agent"/>) let the caller in, because
/// a policy cannot see which agent the request names.
/// </summary>
public static class AgentAccess
{
    /// <summary>
    /// Registering: an agent token only for the agent it is bound to (exact, case-sensitive name); an operator or
    /// admin for any agent.
    /// </summary>
    public static bool MayRegister(ClaimsPrincipal user, string agentName) => MayActFor(user, agentName, allowOperators: true);

    /// <summary>Reporting health: only the agent's own token; a person cannot vouch for an agent's health.</summary>
    public static bool MayReportHealth(ClaimsPrincipal user, string agentName) => MayActFor(user, agentName, allowOperators: false);

    /// <summary>
    /// The general check: an agent token acts only for its own agent name; with <paramref name="allowOperators"/>
    /// an operator or admin (person or personal token) may act for any agent.
    /// </summary>
    public static bool MayActFor(ClaimsPrincipal user, string agentName, bool allowOperators = true)
    {
        if (user.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(agentName)) return false;
        if (user.BoundAgentName() is { } bound) return string.Equals(bound, agentName, StringComparison.Ordinal);
        return allowOperators && user.IsInRole(nameof(Role.Operator));
    }
}
