using Cutover.Core.Domain;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>The timeline filter's names and which event kinds each one shows.</summary>
public static class TimelineKinds
{
    public static IReadOnlyList<TimelineKind> All { get; } = Enum.GetValues<TimelineKind>();

    public static string Name(TimelineKind kind) => kind switch
    {
        TimelineKind.All => "All",
        TimelineKind.Deployments => "Deployments",
        TimelineKind.Production => "Promotions",
        TimelineKind.Health => "Health",
        TimelineKind.Sync => "Sync",
        _ => kind.ToString(),
    };

    public static bool Includes(TimelineKind filter, EventKind kind) => filter switch
    {
        TimelineKind.All => true,
        TimelineKind.Deployments => kind is EventKind.Registered or EventKind.Created or EventKind.Ready or EventKind.Failed
            or EventKind.Deleted or EventKind.Purged,
        TimelineKind.Production => kind is EventKind.Promoted or EventKind.RolledBack or EventKind.Demoted or EventKind.AutoReverted
            or EventKind.GuardStarted or EventKind.GuardPassed or EventKind.GuardAborted or EventKind.GuardBreached,
        TimelineKind.Health => kind == EventKind.HealthChanged,
        TimelineKind.Sync => kind == EventKind.SyncChanged,
        _ => true,
    };
}
