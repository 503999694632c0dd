using Cutover.Core.Provisioning;
using Cutover.Core.Status;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// The Provisioning page's one seam: the same reading and checking of a spec as the API (<see cref="SpecReader"/>,
/// then <see cref="ProvisioningService"/>), the runs, and the live stream of committed run changes.
/// </summary>
public class ProvisioningClient(ProvisioningService provisioning, StatusBus bus)
{
    /// <summary>A spec that starts with '{' is JSON; anything else is read as YAML (JSON is YAML too, but errors read better).</summary>
    public static bool LooksLikeYaml(string text) => !text.TrimStart().StartsWith('{');

    /// <summary>Reads, checks and applies a spec; <paramref name="dryRun"/> decides whatever the spec says.</summary>
    public virtual async Task<StartResult> SubmitAsync(string text, bool dryRun, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text)) return new StartResult(null, [new SpecProblem("body", "Paste or upload a spec first.")]);
        var spec = SpecReader.Read(text, LooksLikeYaml(text), out var problems);
        if (spec is null) return new StartResult(null, problems);
        return await provisioning.StartAsync(spec with { DryRun = dryRun }, actor, cancellationToken);
    }

    public virtual Task<IReadOnlyList<RunView>> ListAsync(CancellationToken cancellationToken) =>
        provisioning.ListAsync(ProvisioningEndpoints.MaxListed, cancellationToken);

    public virtual Task<RunView?> GetAsync(Guid runId, CancellationToken cancellationToken) => provisioning.GetAsync(runId, cancellationToken);

    public virtual Task<RunView?> BeginTeardownAsync(Guid runId, string actor, CancellationToken cancellationToken) =>
        provisioning.BeginTeardownAsync(runId, actor, cancellationToken);

    public virtual RunSubscription Subscribe() => bus.SubscribeRuns();
}
