using System.Globalization;
using Cutover.Core.Domain;

namespace Cutover.Core.Deployments;

/// <summary>
/// The one rule for idle previews (<see cref="Runtime.RuntimeOptions.PreviewIdleStopAfter"/>), for the stopper and
/// for the row that says when it will stop: a Ready, non-production, not deleted deployment stops once
/// <c>after</c> has passed since the latest of: its last RPC, the time it became Ready (a fresh start gets its full
/// time), and the time Cutover began counting RPCs (<c>countingSince</c>: calls before a restart are not known, so
/// a restart never stops a preview at once).
/// </summary>
public static class IdleStop
{
    /// <summary>When the deployment stops for idleness, or null when it does not (not a running preview, or the setting is off).</summary>
    public static DateTime? DueAt(bool isProduction, DeploymentStatus status, bool isDeleted, DateTime readyAt, DateTime? lastRpcAt,
        DateTime countingSince, TimeSpan? after)
    {
        if (after is not { } limit || limit <= TimeSpan.Zero) return null;
        if (isProduction || isDeleted || status != DeploymentStatus.Ready) return null;
        var since = readyAt > countingSince ? readyAt : countingSince;
        if (lastRpcAt is { } rpc && rpc > since) since = rpc;
        return since + limit;
    }

    /// <summary>The stopped deployment's status detail: "idle 30 min".</summary>
    public static string Why(TimeSpan after) => $"idle {Describe(after)}";

    /// <summary>"30 min", "1 h 30 min", "45 s".</summary>
    public static string Describe(TimeSpan t)
    {
        if (t < TimeSpan.FromMinutes(1)) return t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
        if (t < TimeSpan.FromHours(1)) return Math.Round(t.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min";
        var minutes = t.Minutes;
        return ((int)t.TotalHours).ToString(CultureInfo.InvariantCulture) + " h" + (minutes > 0 ? $" {minutes} min" : "");
    }
}
