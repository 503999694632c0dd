using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Provisioning;

/// <summary>
/// Runs a recorded run: for each ledger row, at most <c>maxConcurrent</c> at once, create (agent, deployment and the
/// row's Created in one transaction), and only then wake. After the first failure no further row is started (rows
/// in flight finish); the run ends Succeeded or Failed, and a failed run with <see cref="OnFailure.Teardown"/> tears
/// itself down. Cancellation (a teardown by hand, shutdown) stops waiting and leaves the ledger as committed.
/// </summary>
internal sealed partial class RunExecution(
    StatusChokepoint chokepoint,
    IProvisioningSteps steps,
    IOptionsMonitor<ProvisioningOptions> options,
    TimeProvider time,
    RunTeardown teardown,
    ILogger logger)
{
    private const string Actor = "system:provisioning";

    public async Task ExecuteAsync(ProvisioningRun run, IReadOnlyList<Guid> entryIds, string actor, CancellationToken stop)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var failures = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.MaxConcurrent, CancellationToken = CancellationToken.None };
        await Parallel.ForEachAsync(entryIds, parallel, async (entryId, _) =>
        {
            // After a failure (or a teardown) nothing more is created; rows not begun stay Pending.
            if (failed.IsCancellationRequested) return;
            if (!await ProvisionOneAsync(run.Id, entryId, actor, stop).ConfigureAwait(false) && !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                await failed.CancelAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        if (stop.IsCancellationRequested) return;
        var to = failures == 0 ? RunStatus.Succeeded : RunStatus.Failed;
        var error = failures == 0 ? null : $"{failures} agent(s) failed; see the ledger.";
        await chokepoint.UpdateRunAsync<bool>(run.Id, Actor, error ?? "Every agent is Ready",
            (t, _) => Task.FromResult<Outcome<bool>>(t.SetStatus(to, error) is { } f ? f : true), CancellationToken.None).ConfigureAwait(false);
        LogEnded(logger, run.Id, to);
        if (to == RunStatus.Failed && run.OnFailure == OnFailure.Teardown) await teardown.TearDownAsync(run.Id, Actor).ConfigureAwait(false);
    }

    /// <summary>One row: create, then wake. True when it ended Woken.</summary>
    private async Task<bool> ProvisionOneAsync(Guid runId, Guid entryId, string actor, CancellationToken stop)
    {
        CreatedAgent agent;
        try
        {
            var created = await steps.CreateAsync(runId, entryId, actor, stop).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                await FailAsync(runId, entryId, $"Create failed: {created.Failure!.Detail}").ConfigureAwait(false);
                return false;
            }

            agent = created.Value!;
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // Whether or not the create committed, the row says so: Pending (nothing made) or Created (with the ids).
            await FailAsync(runId, entryId, $"Create failed: {e.Message}").ConfigureAwait(false);
            return false;
        }

        var timeout = options.CurrentValue.WakeTimeout;
        string? error;
        try
        {
            // WaitAsync gives up at the deadline even on a wake that ignores its token.
            error = await steps.WakeAsync(agent, actor, stop).WaitAsync(timeout, time, stop).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            error = $"It did not wake within {timeout.TotalSeconds:0.###} s; its process was stopped.";
            await StopQuietlyAsync(agent.DeploymentId).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            error = $"Wake failed: {e.Message}";
            await StopQuietlyAsync(agent.DeploymentId).ConfigureAwait(false);
        }

        var step = error is null ? LedgerStep.Woken : LedgerStep.Failed;
        var written = await SetStepAsync(runId, entryId, step, error).ConfigureAwait(false);
        return error is null && written;
    }

    private async Task StopQuietlyAsync(Guid deploymentId)
    {
        try
        {
            await steps.StopAsync(deploymentId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Teardown stops it again; the ledger already holds it.
            LogStopFailed(logger, e, deploymentId);
        }
    }

    private Task FailAsync(Guid runId, Guid entryId, string error) => SetStepAsync(runId, entryId, LedgerStep.Failed, error);

    /// <summary>Terminal for the row: not bound to any token. False when the row had moved on (a teardown got there first).</summary>
    private async Task<bool> SetStepAsync(Guid runId, Guid entryId, LedgerStep step, string? error)
    {
        var outcome = await chokepoint.UpdateRunAsync<bool>(runId, Actor, error, async (t, ct) =>
        {
            var entry = await t.FindEntryAsync(entryId, ct).ConfigureAwait(false);
            if (entry is null) return Failure.NotFound($"No ledger row {entryId}.");
            return t.SetStep(entry, step, error) is { } f ? f : true;
        }, CancellationToken.None).ConfigureAwait(false);
        return outcome.IsSuccess;
    }

    [LoggerMessage(LogLevel.Information, "Provisioning run {RunId} ended {Status}")]
    private static partial void LogEnded(ILogger logger, Guid runId, RunStatus status);

    [LoggerMessage(LogLevel.Warning, "Could not stop deployment {DeploymentId} after its wake failed")]
    private static partial void LogStopFailed(ILogger logger, Exception e, Guid deploymentId);
}
