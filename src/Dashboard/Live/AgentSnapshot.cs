using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>Everything the agent page shows when it (re)loads: header, deployments (deleted too), rollback target, newest events.</summary>
public sealed record AgentSnapshot(
    AgentSummary Agent,
    IReadOnlyList<DeploymentRow> Deployments,
    DeploymentRow? RollbackTarget,
    IReadOnlyList<EventRow> Events,
    bool HasMoreEvents);
