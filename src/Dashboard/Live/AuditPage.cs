using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>One page of audit events and the deployments they name (purged ones are absent).</summary>
public sealed record AuditPage(PagedResult<EventRow> Events, IReadOnlyDictionary<Guid, DeploymentRow> Deployments);
