using Cutover.Core.Domain;
using Cutover.Core.Queries;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>
/// Turns the agent's events (newest first) into timeline rows: one row per change, and consecutive health changes
/// of one subject folded into one row with a count, so a flapping agent does not flood the timeline.
/// </summary>
public static class TimelineRows
{
    /// <summary>A production deployment's health change and the agent's that follows it are written together.</summary>
    private static readonly TimeSpan SameChange = TimeSpan.FromSeconds(1);

    public static List<TimelineRow> Build(IReadOnlyList<EventRow> events, TimelineKind filter)
    {
        var rows = new List<TimelineRow>();
        List<EventRow>? run = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!EventText.IsShownInTimeline(e) || !TimelineKinds.Includes(filter, e.Kind) || IsRepeatedByAgentHealth(events, i)) continue;
            if (e.Kind == EventKind.HealthChanged && run is not null && run[0].DeploymentId == e.DeploymentId)
            {
                run.Add(e);
                continue;
            }

            run = null;
            var row = new List<EventRow> { e };
            if (e.Kind == EventKind.HealthChanged) run = row;
            rows.Add(new TimelineRow(row));
        }

        return rows;
    }

    /// <summary>
    /// A production deployment's health change that the agent's own change repeats (same from, to and moment, next
    /// to it in the list): the agent's row says it once, as "Health Healthy → Unhealthy".
    /// </summary>
    private static bool IsRepeatedByAgentHealth(IReadOnlyList<EventRow> events, int i)
    {
        var e = events[i];
        if (e.Kind != EventKind.HealthChanged || e.DeploymentId is null) return false;
        return Matches(i - 1) || Matches(i + 1);

        bool Matches(int j) => j >= 0 && j < events.Count && events[j] is { Kind: EventKind.HealthChanged, DeploymentId: null } agent
            && agent.From == e.From && agent.To == e.To && (agent.At - e.At).Duration() <= SameChange;
    }
}
