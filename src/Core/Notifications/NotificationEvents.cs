using System.Collections.Frozen;
using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Core.Status;

namespace Cutover.Core.Notifications;

/// <summary>
/// The stable event names a subscription chooses from (they appear in payloads as <c>event</c>), and the one rule
/// that derives them from committed changes. Most changes notify nobody: only those that need a person.
/// </summary>
public static class NotificationEvents
{
    public const string Promoted = "promoted";
    public const string RolledBack = "rolledBack";
    public const string AutoReverted = "autoReverted";

    /// <summary>A guard saw production fail its limits but had nothing safe to revert to: production stays as it is.</summary>
    public const string GuardBreached = "guardBreached";
    public const string ProductionUnhealthy = "productionUnhealthy";
    public const string DeployFailed = "deployFailed";
    public const string SyncFailed = "syncFailed";
    public const string ProvisioningFailed = "provisioningFailed";

    /// <summary>Sent only by "send a test" to one subscription; never subscribed to.</summary>
    public const string Test = "test";

    /// <summary>Every name a subscription may list, in the order the page shows them.</summary>
    public static readonly IReadOnlyList<string> All =
        [Promoted, RolledBack, AutoReverted, GuardBreached, ProductionUnhealthy, DeployFailed, SyncFailed, ProvisioningFailed];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>What a person reads for each name (the page's checkboxes).</summary>
    public static string Describe(string name) => name switch
    {
        Promoted => "Promoted",
        RolledBack => "Rolled back",
        AutoReverted => "Auto-reverted by a guard",
        GuardBreached => "Guard breached, nothing to revert to",
        ProductionUnhealthy => "Production unhealthy",
        DeployFailed => "Deploy failed",
        SyncFailed => "Sync failed",
        ProvisioningFailed => "Provisioning failed",
        Test => "Test",
        _ => name,
    };

    /// <summary>The event an agent's committed change raises, or null when it needs nobody.</summary>
    public static string? Of(StatusChange change) => change.Kind switch
    {
        EventKind.Promoted when change.Field == StatusField.Production => Promoted,
        EventKind.RolledBack when change.Field == StatusField.Production => RolledBack,
        EventKind.AutoReverted => AutoReverted,
        EventKind.GuardBreached => GuardBreached,
        EventKind.Failed when change.Field == StatusField.DeploymentStatus => DeployFailed,
        // The agent's own health follows its production deployment: this is production turning Unhealthy.
        EventKind.HealthChanged when change.Field == StatusField.Health && change.To == nameof(HealthStatus.Unhealthy) => ProductionUnhealthy,
        EventKind.SyncChanged when change.Field == StatusField.Sync && change.To == nameof(SyncStatus.OutOfSync) => SyncFailed,
        _ => null,
    };

    /// <summary>The event a provisioning run's committed change raises: the run itself ending Failed.</summary>
    public static string? Of(RunChange change) =>
        change.EntryId is null && change.Status == RunStatus.Failed ? ProvisioningFailed : null;
}
