using Cutover.Core.Domain;
using Cutover.Core.Queries;
using MudBlazor;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>How an event reads in the timeline and the audit list: a sentence, an icon and a tone.</summary>
public static class EventText
{
    /// <summary>
    /// Events the timeline leaves out: a demotion is always written together with the promotion or rollback that
    /// caused it, which already says "from → to".
    /// </summary>
    public static bool IsShownInTimeline(EventRow e) => e.Kind != EventKind.Demoted;

    public static string Describe(EventRow e, Func<Guid, string> deployment)
    {
        var d = e.DeploymentId is { } id ? deployment(id) : null;
        return e.Kind switch
        {
            EventKind.Registered when e.DeploymentId is null && e.From is null && e.To is not null && e.Reason == "Agent created" => $"Agent {e.To} created",
            EventKind.Registered when d is not null => $"{d} registered at {e.To}",
            EventKind.Registered => $"Registered at {e.To}",
            EventKind.Created => $"{d} created",
            EventKind.Ready => $"{d} is ready",
            EventKind.Failed => $"{d} failed",
            EventKind.Promoted => $"{d} promoted to production",
            EventKind.RolledBack => $"Rolled back to {d}",
            EventKind.Demoted => $"{d} left production",
            EventKind.Deleted => $"{d} deleted",
            EventKind.Purged => $"{d} purged",
            EventKind.AgentDeleted => "Agent deleted",
            EventKind.AutoReverted => $"Guard reverted production to {d}",
            EventKind.GuardStarted => $"Guard watching {d}",
            EventKind.GuardPassed => $"Guard passed: {d} stays in production",
            EventKind.GuardAborted => $"Guard of {d} stopped",
            EventKind.GuardBreached => $"Guard tripped on {d}: nothing safe to revert to",
            EventKind.HealthChanged when d is not null => $"{d} health {e.From} → {e.To}",
            EventKind.HealthChanged => $"Health {e.From} → {e.To}",
            EventKind.SyncChanged => $"Sync {Sync(e.From)} → {Sync(e.To)}",
            EventKind.SignedIn => $"Signed in{Subject(e)}",
            EventKind.SignInFailed => $"Sign-in failed{Subject(e)}",
            EventKind.TokenCreated => $"Token created{Subject(e)}",
            EventKind.TokenRevoked => $"Token revoked{Subject(e)}",
            EventKind.UserCreated => $"User created{Subject(e)}",
            EventKind.UserDeleted => $"User deleted{Subject(e)}",
            _ => $"{e.Kind}{Subject(e)}",
        };
    }

    /// <summary>A folded run of health changes: "Health flapped 7× · Unhealthy ↔ Healthy".</summary>
    public static string Describe(TimelineRow row, Func<Guid, string> deployment)
    {
        if (!row.IsFlap) return Describe(row.Latest, deployment);
        var subject = row.Latest.DeploymentId is { } id ? $"{deployment(id)} health" : "Health";
        var states = row.States;
        return states.Count == 2
            ? $"{subject} flapped {row.Events.Count}× · {states[0]} ↔ {states[1]}"
            : $"{subject} changed {row.Events.Count}× · now {row.Latest.To}";
    }

    /// <summary>The reason, unless it only repeats what the sentence already says.</summary>
    public static string? Reason(EventRow e) =>
        e.Reason is null || e.Reason == "Agent created" || e.Reason == "Registered" ? null : e.Reason;

    public static string Icon(EventKind kind) => kind switch
    {
        EventKind.Registered => Icons.Material.Filled.HowToReg,
        EventKind.Created => Icons.Material.Filled.AddBox,
        EventKind.Ready => Icons.Material.Filled.CheckCircle,
        EventKind.Failed => Icons.Material.Filled.Cancel,
        EventKind.Promoted => Icons.Material.Filled.RocketLaunch,
        EventKind.RolledBack => Icons.Material.Filled.Undo,
        EventKind.Demoted => Icons.Material.Filled.South,
        EventKind.Deleted => Icons.Material.Filled.Delete,
        EventKind.Purged => Icons.Material.Filled.DeleteForever,
        EventKind.AgentDeleted => Icons.Material.Filled.DeleteForever,
        EventKind.HealthChanged => Icons.Material.Filled.MonitorHeart,
        EventKind.AutoReverted => Icons.Material.Filled.SettingsBackupRestore,
        EventKind.GuardStarted or EventKind.GuardPassed or EventKind.GuardAborted => Icons.Material.Filled.Shield,
        EventKind.GuardBreached => Icons.Material.Filled.GppMaybe,
        EventKind.SyncChanged => Icons.Material.Filled.Sync,
        EventKind.SignInFailed => Icons.Material.Filled.GppBad,
        EventKind.SignedIn => Icons.Material.Filled.Login,
        EventKind.TokenCreated or EventKind.TokenRevoked => Icons.Material.Filled.Key,
        _ => Icons.Material.Filled.Person,
    };

    /// <summary>A kind in words: <c>HealthChanged</c> → "Health changed", <c>SignInFailed</c> → "Sign-in failed".</summary>
    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.SignedIn => "Signed in",
        EventKind.SignInFailed => "Sign-in failed",
        EventKind.RolledBack => "Rolled back",
        EventKind.AutoReverted => "Auto-reverted",
        _ => Words(kind.ToString()),
    };

    /// <summary>A CSS tone: ok, bad, warn, info or neutral (matches <see cref="Shared.StatusTone"/>'s colours).</summary>
    public static string Tone(EventRow e) => e.Kind switch
    {
        EventKind.Ready => "ok",
        EventKind.Failed or EventKind.SignInFailed => "bad",
        EventKind.Promoted => "primary",
        EventKind.RolledBack => "warn",
        EventKind.AutoReverted or EventKind.GuardBreached => "bad",
        EventKind.GuardPassed => "ok",
        EventKind.Deleted or EventKind.Purged => "neutral",
        EventKind.HealthChanged => e.To == nameof(HealthStatus.Healthy) ? "ok" : e.To == nameof(HealthStatus.Unhealthy) ? "bad" : "neutral",
        EventKind.SyncChanged => e.To == nameof(SyncStatus.Synced) ? "ok" : e.To == nameof(SyncStatus.OutOfSync) ? "warn" : "info",
        _ => "info",
    };

    /// <summary>
    /// A short, recognisable name for a deployment: the image's last path segment with its tag, and the short
    /// commit (<c>checkout:1.4.0 (a9789ec)</c>); a short id once purged. The full image is shown where there is room.
    /// </summary>
    public static string Label(DeploymentRow? d, Guid id)
    {
        if (d is null) return "deployment " + id.ToString("N")[^8..];
        var image = ShortImage(d.Image);
        return d.Metadata.ShortCommit is { } c ? $"{image} ({c})" : image;
    }

    /// <summary><c>registry.example.com/team/checkout:1.4.0</c> → <c>checkout:1.4.0</c> (digests dropped).</summary>
    public static string ShortImage(string image)
    {
        var at = image.IndexOf('@');
        var withoutDigest = at >= 0 ? image[..at] : image;
        var name = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
        return name.Length > 0 ? name : image;
    }

    private static string Words(string pascal)
    {
        var words = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c)) words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(c);
        }

        return words.ToString();
    }

    private static string Subject(EventRow e) => e.To is { Length: > 0 } to ? $": {to}" : "";

    private static string? Sync(string? v) => v == nameof(SyncStatus.OutOfSync) ? "Out of sync" : v;
}
