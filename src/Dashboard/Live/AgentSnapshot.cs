using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>
/// Everything the agent page shows when it (re)loads: header, deployments (deleted too), rollback target, newest
/// events, and the source that declares the agent (null: none).
/// </summary>
public sealed record AgentSnapshot(
    AgentSummary Agent,
    IReadOnlyList<DeploymentRow> Deployments,
    DeploymentRow? RollbackTarget,
    IReadOnlyList<EventRow> Events,
    bool HasMoreEvents,
    Core.Sources.SourceDeclaration? Declaration = null);
