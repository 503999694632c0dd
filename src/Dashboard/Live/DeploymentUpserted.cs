using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>A deployment row as it is now: created, ready, failed, promoted, demoted or deleted (agent subscriptions only).</summary>
public sealed record DeploymentUpserted(DeploymentRow Deployment) : DashboardChange;
