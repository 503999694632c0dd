using Cutover.Core.Queries;

namespace Cutover.Dashboard.Live;

/// <summary>A committed timeline event, in commit order per agent.</summary>
public sealed record TimelineEventAdded(EventRow Event) : DashboardChange;
