using Cutover.Core.Queries;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// One row of the timeline: one event, or a run of consecutive health changes of the same subject folded into one
/// ("health flapped 7×"). <see cref="Events"/> are newest first; the row reads, sorts and tones as the newest.
/// </summary>
public sealed record TimelineRow(IReadOnlyList<EventRow> Events)
{
    public EventRow Latest => Events[0];

    public bool IsFlap => Events.Count > 1;

    /// <summary>The states the run went through, the current one first: "Unhealthy ↔ Healthy".</summary>
    public IReadOnlyList<string> States =>
        Events.SelectMany(e => new[] { e.To, e.From }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
