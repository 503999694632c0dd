namespace Cutover.Dashboard.Live;

/// <summary>An agent's "last seen" moved (stamped by health reports and probes, throttled; see <see cref="LastSeenFeed"/>).</summary>
public sealed record AgentSeen(Guid AgentId, DateTime LastSeenAt) : DashboardChange;
