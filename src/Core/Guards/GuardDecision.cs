using System.Globalization;
using Cutover.Core.Domain;

namespace Cutover.Core.Guards;

/// <summary>
/// The one rule a guard follows, decided from its settings and evidence: keep watching, pass (the window ended
/// clean), or revert (a limit was crossed; <see cref="Why"/> says which, with the figures).
/// </summary>
public readonly record struct GuardDecision(GuardDecisionKind Kind, string? Why)
{
    public static GuardDecision Decide(GuardSettings settings, GuardEvidence evidence, DateTime now, DateTime endsAt)
    {
        if (evidence.Status != DeploymentStatus.Ready)
            return new(GuardDecisionKind.Revert, $"the deployment is {evidence.Status}");
        if (settings.RequireHealthy && evidence.Health == HealthStatus.Unhealthy)
            return new(GuardDecisionKind.Revert, $"health turned Unhealthy ({evidence.Describe()})");
        if (evidence.Requests >= settings.MinRequests && evidence.ErrorRate > settings.MaxErrorRate)
            return new(GuardDecisionKind.Revert,
                string.Create(CultureInfo.InvariantCulture,
                    $"error rate {GuardSettings.Percent(evidence.ErrorRate)} over {evidence.Requests:N0} calls is above the limit of "
                    + $"{GuardSettings.Percent(settings.MaxErrorRate)} ({evidence.Errors:N0} errors; health {evidence.Health})"));
        return now >= endsAt ? new(GuardDecisionKind.Pass, null) : new(GuardDecisionKind.Keep, null);
    }
}

public enum GuardDecisionKind
{
    Keep,
    Pass,
    Revert,
}
