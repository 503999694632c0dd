using System.Collections.Concurrent;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Provisioning;

/// <summary>
/// Applies specs: checks them against what exists (names, images) before anything is created, records the run and
/// its ledger, then per agent create, record, wake with at most <c>maxConcurrent</c> at once (see
/// <see cref="RunExecution"/>), and tears runs down (see <see cref="RunTeardown"/>). Every write goes through the
/// chokepoint. Work for one run is serialized: a teardown waits for the run's execution to stop first.
/// </summary>
public sealed partial class ProvisioningService
{
    private readonly IDbContextFactory<CutoverDbContext> _dbFactory;
    private readonly StatusChokepoint _chokepoint;
    private readonly IProvisioningSteps _steps;
    private readonly RunExecution _execution;
    private readonly RunTeardown _teardown;
    private readonly ILogger<ProvisioningService> _logger;
    private readonly IRunClaims _claims;
    private readonly ConcurrentDictionary<Guid, RunWork> _work = new();
    private readonly CancellationTokenSource _stopping = new();

    public ProvisioningService(IDbContextFactory<CutoverDbContext> dbFactory, StatusChokepoint chokepoint, IProvisioningSteps steps,
        IOptionsMonitor<ProvisioningOptions> options, TimeProvider time, ILogger<ProvisioningService> logger, IRunClaims? claims = null)
    {
        _claims = claims ?? SingleNodeRunClaims.Instance;
        _dbFactory = dbFactory;
        _chokepoint = chokepoint;
        _steps = steps;
        _logger = logger;
        _teardown = new RunTeardown(chokepoint, steps, logger);
        _execution = new RunExecution(chokepoint, steps, options, time, _teardown, logger);
    }

    /// <summary>
    /// Every problem of a spec that needs to know what exists: images the runtime cannot wake, names already taken
    /// (by live or deleted agents). Reads only.
    /// </summary>
    public async Task<IReadOnlyList<SpecProblem>> CheckAsync(ProvisioningSpec spec, CancellationToken cancellationToken)
    {
        var problems = new List<SpecProblem>();
        for (var i = 0; i < spec.Agents.Count; i++)
        {
            if (!_steps.CanWake(spec.Agents[i].Image))
                problems.Add(new SpecProblem($"agents[{i}].image", $"The runtime does not run the image '{spec.Agents[i].Image}'."));
        }

        var names = spec.Agents.Select(a => a.Name).ToList();
        List<string> taken;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            taken = await db.Agents.AsNoTracking().Where(a => names.Contains(a.Name)).Select(a => a.Name)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < spec.Agents.Count; i++)
        {
            if (taken.Contains(spec.Agents[i].Name))
                problems.Add(new SpecProblem($"agents[{i}].name", $"An agent named '{spec.Agents[i].Name}' already exists.", Conflict: true));
        }

        return problems;
    }

    /// <summary>
    /// Checks the spec; a dry run then returns the plan having written nothing. Otherwise records the run with every
    /// ledger row Pending and starts it in the background; the returned run is as recorded.
    /// </summary>
    public async Task<StartResult> StartAsync(ProvisioningSpec spec, string actor, CancellationToken cancellationToken)
    {
        var problems = await CheckAsync(spec, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0) return new StartResult(null, problems);
        if (spec.DryRun) return new StartResult(RunView.Plan(spec), []);

        var runId = Guid.CreateVersion7();
        var ledger = new List<LedgerEntry>();
        var created = await _chokepoint.CreateRunAsync(now =>
        {
            ledger = spec.Agents.Select((a, i) =>
                new LedgerEntry(Guid.CreateVersion7(), runId, i, a.Name, a.Image.Value, a.Description, a.MetadataJson, now)).ToList();
            return (new ProvisioningRun(runId, spec.Name, spec.OnFailure, spec.MaxConcurrent, actor, now), ledger);
        }, actor, cancellationToken).ConfigureAwait(false);
        var run = created.Value!;
        var view = RunView.From(run, ledger);

        var work = _work.GetOrAdd(runId, _ => new RunWork());
        Queue(runId, work, _ => _execution.ExecuteAsync(run, ledger.Select(e => e.Id).ToList(), actor, work.Stop.Token));
        LogStarted(_logger, runId, spec.Name, spec.Agents.Count);
        return new StartResult(view, []);
    }

    /// <summary>
    /// Starts a teardown of the run (stop its execution first if it is still going). Null when there is no such run.
    /// Idempotent: a torn-down run stays as it is; a teardown that failed part way runs again on what remains.
    /// </summary>
    public async Task<RunView?> BeginTeardownAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        var view = await GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (view is null) return null;
        var work = _work.GetOrAdd(runId, _ => new RunWork());
        await work.Stop.CancelAsync().ConfigureAwait(false);
        Queue(runId, work, _ => _teardown.TearDownAsync(runId, actor));
        return view;
    }

    /// <summary>Tears the run down and waits for the end (tests, the page's own confirmation flow).</summary>
    public async Task<RunView?> TearDownAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        if (await BeginTeardownAsync(runId, actor, cancellationToken).ConfigureAwait(false) is null) return null;
        await WaitAsync(runId, cancellationToken).ConfigureAwait(false);
        return await GetAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until no work of this run (execution, teardown) is in flight in this process.</summary>
    public async Task WaitAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!_work.TryGetValue(runId, out var work)) return;
        Task current;
        lock (work) current = work.Current;
        await current.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// At start-up: every run a previous process left Running or TearingDown, and that no other node is working on
    /// (see <see cref="IRunClaims"/>), is Interrupted (its ledger is already complete: each create committed its row).
    /// Returns how many.
    /// </summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        List<Guid> stranded;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            stranded = await db.ProvisioningRuns.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.TearingDown)
                .Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var interrupted = 0;
        foreach (var id in stranded.Where(id => !_work.ContainsKey(id)))
        {
            if (!await _claims.IsUnclaimedAsync(id, cancellationToken).ConfigureAwait(false)) continue;
            interrupted++;
            await _chokepoint.UpdateRunAsync<bool>(id, "system:recovery", "Cutover restarted", (t, _) =>
            {
                var error = $"Cutover stopped while the run was {t.Run.Status}; its ledger holds every agent it created. Tear it down or keep it.";
                return Task.FromResult<Results.Outcome<bool>>(t.SetStatus(RunStatus.Interrupted, error) is { } f ? f : true);
            }, CancellationToken.None).ConfigureAwait(false);
        }

        return interrupted;
    }

    /// <summary>
    /// Until cancelled, keeps ledger rows in step with deploy outcomes that no run in flight is waiting for: a woken
    /// agent whose deployment fails later (its process died; the deploy interpreter wrote Failed) is Failed with the
    /// same reason; a Created row of an Interrupted run whose deployment the restart recovery relaunched is Woken or
    /// Failed as that deploy ends. The bus is the source: only committed changes arrive here.
    /// </summary>
    public async Task WatchOutcomesAsync(StatusBus bus, CancellationToken cancellationToken)
    {
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var change in subscription.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (change is not { Field: StatusField.DeploymentStatus, DeploymentId: { } id }) continue;
                var failed = change.To == nameof(Domain.DeploymentStatus.Failed);
                if (!failed && change.To != nameof(Domain.DeploymentStatus.Ready)) continue;
                await FollowOutcomeAsync(id, failed, change.Reason ?? "Its deployment failed.", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowOutcomeAsync(Guid deploymentId, bool failed, string reason, CancellationToken cancellationToken)
    {
        LedgerEntry? r;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            r = await db.LedgerEntries.AsNoTracking().FirstOrDefaultAsync(e => e.DeploymentId == deploymentId
                && (e.Step == LedgerStep.Woken || e.Step == LedgerStep.Created), cancellationToken).ConfigureAwait(false);
        }

        if (r is null) return;
        await _chokepoint.UpdateRunAsync<bool>(r.RunId, "system:runtime", failed ? reason : "Woken after Cutover restarted", async (t, ct) =>
        {
            var entry = await t.FindEntryAsync(r.Id, ct).ConfigureAwait(false);
            if (entry is null) return true;
            // A run in flight follows its own Created rows; a teardown that got there first keeps its TornDown.
            LedgerStep? to = entry.Step switch
            {
                LedgerStep.Woken when failed => LedgerStep.Failed,
                LedgerStep.Created when t.Run.Status == RunStatus.Interrupted => failed ? LedgerStep.Failed : LedgerStep.Woken,
                _ => null,
            };
            if (to is not { } step) return true;
            return t.SetStep(entry, step, failed ? reason : null) is { } f ? f : true;
        }, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<RunView?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.ProvisioningRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
        if (run is null) return null;
        var ledger = await db.LedgerEntries.AsNoTracking().Where(e => e.RunId == runId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return RunView.From(run, ledger);
    }

    /// <summary>Runs, newest first.</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var runs = await db.ProvisioningRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = runs.Select(r => r.Id).ToList();
        var ledger = (await db.LedgerEntries.AsNoTracking().Where(e => ids.Contains(e.RunId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(e => e.RunId);
        return runs.Select(r => RunView.From(r, ledger[r.Id])).ToList();
    }

    /// <summary>At shutdown: stops every run's work where it stands (the next start marks them Interrupted).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var w in _work.Values) await w.Stop.CancelAsync().ConfigureAwait(false);
        var current = _work.Values.Select(w => { lock (w) return w.Current; }).ToList();
        await Task.WhenAll(current).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="next"/> after whatever this run is doing now has ended.</summary>
    private void Queue(Guid runId, RunWork work, Func<Task, Task> next)
    {
        lock (work)
        {
            var previous = work.Current;
            work.Current = Task.Run(async () =>
            {
                try
                {
                    await previous.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogWorkFailed(_logger, e);
                }

                if (_stopping.IsCancellationRequested) return;
                try
                {
                    // While this node works on the run, no other node's start-up calls it Interrupted (and another
                    // node's teardown of it waits for this work to end).
                    await using var claim = await _claims.ClaimAsync(runId, _stopping.Token).ConfigureAwait(false);
                    await next(previous).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogWorkFailed(_logger, e);
                }
            });
        }
    }

    private sealed class RunWork
    {
        public CancellationTokenSource Stop { get; } = new();

        public Task Current { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Provisioning run {RunId} ({Name}) started with {Count} agents")]
    private static partial void LogStarted(ILogger logger, Guid runId, string name, int count);

    [LoggerMessage(LogLevel.Error, "Provisioning work failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception e);
}
