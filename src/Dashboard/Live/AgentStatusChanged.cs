using Cutover.Core.Status;

namespace Cutover.Dashboard.Live;

/// <summary>An agent's live state (health, sync, production pointer, sequence) after a committed change.</summary>
public sealed record AgentStatusChanged(AgentLiveState State) : DashboardChange;
