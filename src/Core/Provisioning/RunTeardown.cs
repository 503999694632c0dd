using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.Extensions.Logging;

namespace Cutover.Core.Provisioning;

/// <summary>
/// Tears a run down from its ledger and nothing else: every row with an agent has its processes stopped and the
/// agent and its deployments soft-deleted, then the row is TornDown; rows that never created anything are TornDown
/// at once. A row whose teardown fails keeps its step and error, and the run ends Failed saying how many remain; run
/// it again to finish (each step is idempotent). A run whose every row is TornDown is TornDown.
/// </summary>
internal sealed partial class RunTeardown(StatusChokepoint chokepoint, IProvisioningSteps steps, ILogger logger)
{
    private const int MaxParallelStops = 32;

    public async Task TearDownAsync(Guid runId, string actor)
    {
        var begun = await chokepoint.UpdateRunAsync<List<LedgerRow>>(runId, actor, "Teardown", async (t, ct) =>
        {
            if (t.Run.Status != RunStatus.TornDown && t.SetStatus(RunStatus.TearingDown) is { } f) return f;
            var ledger = await t.LedgerAsync(ct).ConfigureAwait(false);
            return ledger.Where(e => e.Step != LedgerStep.TornDown).Select(LedgerRow.From).ToList();
        }, CancellationToken.None).ConfigureAwait(false);
        if (!begun.IsSuccess) return;

        var rows = begun.Value!;
        var remaining = 0;
        // Stopping a process is mostly waiting for it to exit, so many go at once; the writes queue at the chokepoint.
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelStops }, async (row, _) =>
        {
            string? error = null;
            try
            {
                if (row.AgentId is { } agentId) await steps.TearDownAsync(agentId, actor, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = $"Teardown failed: {e.Message}";
                Interlocked.Increment(ref remaining);
                LogRowFailed(logger, e, runId, row.AgentName);
            }

            await SetStepAsync(runId, row.Id!.Value, actor, error).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var error = remaining == 0 ? null : $"Teardown incomplete: {remaining} agent(s) could not be removed; run the teardown again.";
        await chokepoint.UpdateRunAsync<bool>(runId, actor, error ?? "Torn down", (t, _) =>
        {
            if (t.Run.Status != RunStatus.TearingDown) return Task.FromResult<Outcome<bool>>(true);
            var to = remaining == 0 ? RunStatus.TornDown : RunStatus.Failed;
            return Task.FromResult<Outcome<bool>>(t.SetStatus(to, error) is { } f ? f : true);
        }, CancellationToken.None).ConfigureAwait(false);
    }

    private Task SetStepAsync(Guid runId, Guid entryId, string actor, string? error) =>
        chokepoint.UpdateRunAsync<bool>(runId, actor, error ?? "Torn down", async (t, ct) =>
        {
            var entry = await t.FindEntryAsync(entryId, ct).ConfigureAwait(false);
            if (entry is null) return Failure.NotFound($"No ledger row {entryId}.");
            // A failed teardown keeps the row's step (what still exists) and says why.
            var to = error is null ? LedgerStep.TornDown : entry.Step;
            return t.SetStep(entry, to, error ?? entry.Error) is { } f ? f : true;
        }, CancellationToken.None);

    [LoggerMessage(LogLevel.Warning, "Teardown of {AgentName} in provisioning run {RunId} failed")]
    private static partial void LogRowFailed(ILogger logger, Exception e, Guid runId, string agentName);
}
