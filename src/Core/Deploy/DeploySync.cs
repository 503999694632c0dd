using Cutover.Core.Domain;
using Cutover.Core.Status;

namespace Cutover.Core.Deploy;

/// <summary>
/// An agent's sync while deploys run: Syncing from the first deploy that starts until the last one in flight ends,
/// then Synced, or OutOfSync when any of them failed. Every write goes through the chokepoint; the terminal write
/// carries the deployment's own status change in the same transaction. (A small stand-in for a shared SyncRunner.)
/// </summary>
internal sealed class DeploySync(StatusChokepoint chokepoint)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<Guid, Round> _rounds = [];

    public async Task BeginAsync(Guid agentId, string actor, string reason)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var round = _rounds.TryGetValue(agentId, out var r) ? r : _rounds[agentId] = new Round();
            if (round.InFlight++ > 0) return;
            round.Failure = null;
            await chokepoint.UpdateStatusAsync<bool>(agentId, actor, reason,
                (t, _) => Task.FromResult<Results.Outcome<bool>>(t.SetSync(SyncStatus.Syncing) is { } f ? f : true),
                CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Writes a deploy's verdict. <paramref name="endsRound"/> is false for verdicts that did not begin with
    /// <see cref="BeginAsync"/> (a Ready deployment dying later).
    /// </summary>
    public async Task EndAsync(Guid agentId, Guid deploymentId, DeployVerdict verdict, string actor, bool endsRound)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var round = _rounds.TryGetValue(agentId, out var r) ? r : _rounds[agentId] = new Round();
            if (endsRound && round.InFlight > 0) round.InFlight--;
            if (!verdict.Succeeded) round.Failure = verdict.Reason;
            SyncStatus? sync = round.InFlight > 0 ? null : round.Failure is null ? SyncStatus.Synced : SyncStatus.OutOfSync;
            var error = round.Failure;
            if (round.InFlight == 0) _rounds.Remove(agentId);

            await chokepoint.UpdateStatusAsync<bool>(agentId, actor, verdict.Reason, async (t, ct) =>
            {
                var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
                if (d is not null && verdict.Status == DeploymentStatus.Failed)
                {
                    // Only Failed is written here: Ready is the registration path's to write. Every status may
                    // become Failed, so there is no refusal that could keep the sync below from ending.
                    t.SetDeploymentStatus(d, DeploymentStatus.Failed, verdict.Reason);
                    if (verdict.ProcessDied) t.SetDeploymentHealth(d, HealthStatus.Unhealthy, verdict.Reason);
                }

                if (sync is { } s) t.SetSync(s, s == SyncStatus.OutOfSync ? error : null);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed class Round
    {
        public int InFlight { get; set; }

        public string? Failure { get; set; }
    }
}
