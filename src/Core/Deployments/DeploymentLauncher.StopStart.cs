using Cutover.Core.Domain;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Deployments;

/// <summary>
/// Stop and start a non-production deployment (API.md "stop / start"). Only deployments this runtime runs: for an
/// external runtime's pod Cutover cannot end or start a process, so it refuses rather than record a state that is
/// not true (the pod would keep running and registering).
/// </summary>
public sealed partial class DeploymentLauncher
{
    /// <summary>The idle time after which previews stop (<see cref="Runtime.RuntimeOptions.PreviewIdleStopAfter"/>; null or zero: never).</summary>
    public TimeSpan? PreviewIdleStopAfter => _options.CurrentValue.PreviewIdleStopAfter;

    /// <summary>
    /// Records the deployment Stopped (<paramref name="why"/> is its status detail, <paramref name="reason"/> the
    /// timeline's); the runtime's stopper ends its process once the change is published, on whichever node runs it.
    /// Its exit is a requested one, so it is never recorded as Failed. A stopped one is a no-op success.
    /// </summary>
    public async Task<Outcome<Deployment>> StopAsync(Guid agentId, Guid deploymentId, string why, string? reason, string actor,
        CancellationToken cancellationToken)
    {
        if (await FindRunnableAsync(agentId, deploymentId, stopping: true, cancellationToken).ConfigureAwait(false) is { } refused) return refused;
        return await _chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, reason ?? why, async (t, ct) =>
        {
            var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
            if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
            if (t.StopDeployment(d, why) is { } failure) return failure;
            return d;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a stopped deployment again through the one launch path: Pending, its process started, Ready when it
    /// registers (or Failed with the reason), exactly as a new deploy. A deployment that is not stopped is a no-op
    /// success (it is running or starting already).
    /// </summary>
    public async Task<Outcome<Deployment>> StartAsync(Guid agentId, Guid deploymentId, string? reason, string actor,
        CancellationToken cancellationToken)
    {
        if (await FindRunnableAsync(agentId, deploymentId, stopping: false, cancellationToken).ConfigureAwait(false) is { } refused) return refused;
        Deployment? started = null;
        var outcome = await _chokepoint.UpdateStatusAsync<Deployment>(agentId, actor, reason ?? "Started again", async (t, ct) =>
        {
            var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
            if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
            var changed = t.StartDeployment(d, StartingLocally);
            if (!changed.IsSuccess) return changed.Failure!;
            if (changed.Value) started = d;
            return d;
        }, cancellationToken).ConfigureAwait(false);

        // Only the caller that moved it out of Stopped launches it: concurrent starts launch it once.
        if (!outcome.IsSuccess || started is null) return outcome;
        return await LaunchAsync(started, actor, _options.CurrentValue.ReadyTimeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Null when the deployment exists and this runtime runs its image; else why not (production first: that is the
    /// reason a stop of it can never work). The transaction checks again; this only answers before anything is written.
    /// </summary>
    private async Task<Failure?> FindRunnableAsync(Guid agentId, Guid deploymentId, bool stopping, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var d = await db.Deployments.AsNoTracking().Where(x => x.Id == deploymentId && x.AgentId == agentId)
            .Select(x => new { x.DockerImage, x.ExpiresAt, x.IsProduction }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
        if (d.ExpiresAt is not null) return Failure.Gone("The deployment was deleted.");
        if (stopping && d.IsProduction) return Failure.Conflict(Status.Transitions.CannotStopProduction);
        if (!Runs(d.DockerImage))
        {
            return Failure.Conflict(_runtime.IsEnabled
                ? $"Cutover does not run {d.DockerImage}'s process (no local command for it): stop or start it where it runs."
                : "No local runtime is enabled: this deployment's process runs outside Cutover; stop or start it where it runs.");
        }

        return null;
    }
}
