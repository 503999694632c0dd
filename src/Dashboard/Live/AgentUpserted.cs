using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>One agent's header as it is now, with where a rollback would return to (agent subscriptions only).</summary>
public sealed record AgentUpserted(AgentSummary Agent, DeploymentRow? RollbackTarget) : DashboardChange;
