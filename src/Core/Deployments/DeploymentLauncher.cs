using System.Collections.Concurrent;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Cutover.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Deployments;

/// <summary>
/// Deploys through the configured runtime: creates the deployment Pending, starts it, and settles it Ready (the
/// agent registered) or Failed (with the reason) in the background. Images the runtime does not run are only
/// created Pending, for an outside system to start, exactly as <see cref="DeploymentService.CreateAsync"/> does.
/// </summary>
public sealed partial class DeploymentLauncher
{
    private static readonly TimeSpan KeepSettled = TimeSpan.FromMinutes(10);

    private readonly DeploymentService _deployments;
    private readonly StatusBus _bus;
    private readonly IDeploymentRuntime _runtime;
    private readonly IDbContextFactory<CutoverDbContext> _dbFactory;
    private readonly IOptionsMonitor<RuntimeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentLauncher> _logger;
    private readonly SyncRunner _sync;
    private readonly StatusChokepoint _chokepoint;
    private readonly ConcurrentDictionary<Guid, Settling> _settling = new();
    private readonly ConcurrentDictionary<Task, byte> _watchers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTime _startedAt;

    public DeploymentLauncher(DeploymentService deployments, SyncRunner sync, StatusChokepoint chokepoint, StatusBus bus,
        IDeploymentRuntime runtime, IDbContextFactory<CutoverDbContext> dbFactory, IOptionsMonitor<RuntimeOptions> options,
        TimeProvider time, ILogger<DeploymentLauncher> logger)
    {
        _deployments = deployments;
        _bus = bus;
        _runtime = runtime;
        _dbFactory = dbFactory;
        _options = options;
        _time = time;
        _startedAt = time.GetUtcNow().UtcDateTime;
        _logger = logger;
        _sync = sync;
        _chokepoint = chokepoint;
    }

    public IDeploymentRuntime Runtime => _runtime;

    /// <summary>True when this service starts deployments of <paramref name="image"/> itself.</summary>
    public bool Runs(DockerImage image) => _runtime.IsEnabled && _runtime.CanRun(image);

    /// <summary>
    /// Creates a deployment and, when the runtime runs its image, starts it. Returns the Pending deployment as soon
    /// as the process started; a runtime that cannot start it gives a Conflict (the deployment is then Failed with
    /// the reason and the agent OutOfSync). Use <see cref="WaitForSettledAsync"/> to await Ready or Failed.
    /// </summary>
    public async Task<Outcome<Deployment>> DeployAsync(Guid agentId, DockerImage image, string? metadataJson, string actor,
        CancellationToken cancellationToken)
    {
        var runs = Runs(image);
        var created = await _deployments.CreateAsync(agentId, image, metadataJson, actor, cancellationToken,
            runs ? StartingLocally : null).ConfigureAwait(false);
        if (!created.IsSuccess || !runs) return created;
        return await LaunchAsync(created.Value!, actor, _options.CurrentValue.ReadyTimeout).ConfigureAwait(false);
    }

    /// <summary>Starts an existing deployment again (after a restart of Cutover, or to recover a Failed one).</summary>
    public async Task<Outcome<Deployment>> RelaunchAsync(Guid agentId, Guid deploymentId, string actor, CancellationToken cancellationToken)
    {
        Deployment? d;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            d = await db.Deployments.AsNoTracking()
                .FirstOrDefaultAsync(x => x.Id == deploymentId && x.AgentId == agentId, cancellationToken).ConfigureAwait(false);
        }

        if (d is null) return Failure.NotFound($"Agent has no deployment {deploymentId}.");
        if (d.IsDeleted) return Failure.Gone("The deployment was deleted.");
        if (!Runs(d.DockerImage)) return Failure.Conflict($"The runtime does not run {d.DockerImage}.");
        // Stopped on purpose: only a start (StartAsync) brings it back, never a recovery or demo relaunch.
        if (d.Status == DeploymentStatus.Stopped) return Failure.Conflict("The deployment is stopped; start it to run it again.");
        return await LaunchAsync(d, actor, _options.CurrentValue.ReadyTimeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves deployments whose launch this process does not hold. At start-up (<paramref name="startup"/>) every
    /// Pending deployment the runtime runs was started by a process that is gone: it is launched again with what is
    /// left of its ready timeout (counted from its creation, so a restart does not reset it), or Failed with the
    /// reason when none is left; an agent left Syncing with nothing in flight gets its sync settled. At any time, a
    /// Pending deployment for an external runtime is Failed once <see cref="RuntimeOptions.RegistrationTimeout"/>
    /// (when set) has passed since its creation. Returns how many deployments it relaunched or failed.
    /// </summary>
    public async Task<int> ResolveStrandedAsync(bool startup, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var options = _options.CurrentValue;
        List<Deployment> pending;
        List<Guid> syncing;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            pending = await db.Deployments.AsNoTracking().Where(d => d.Status == DeploymentStatus.Pending && d.ExpiresAt == null)
                .OrderBy(d => d.CreatedAt).Take(10_000).ToListAsync(cancellationToken).ConfigureAwait(false);
            syncing = startup
                ? await db.Agents.AsNoTracking().Where(a => a.Sync == SyncStatus.Syncing).Select(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false)
                : [];
        }

        if (startup)
        {
            // Left in flight by a previous process means created before this one started: a deploy this process
            // began a moment ago (a caller right after start-up) is its own, and relaunching it would kill it.
            var mine = pending.Where(d => (d.StatusChangedAt ?? d.CreatedAt) > _startedAt).Select(d => d.AgentId).ToHashSet();
            pending = pending.Where(d => (d.StatusChangedAt ?? d.CreatedAt) <= _startedAt).ToList();
            syncing = syncing.Where(id => !mine.Contains(id)).ToList();
        }

        var resolved = 0;
        var launches = new List<Task>();
        foreach (var d in pending)
        {
            if (Runs(d.DockerImage))
            {
                if (!startup || IsSettling(d.Id)) continue;
                // From its creation, or from its start again when it was stopped and started.
                var left = (d.StatusChangedAt ?? d.CreatedAt) + options.ReadyTimeout - now;
                if (left > TimeSpan.Zero) launches.Add(LaunchAsync(d, RecoveryActor, left));
                else await FailStrandedAsync(d, $"It did not register within {Describe(options.ReadyTimeout)}: Cutover restarted while it was starting.").ConfigureAwait(false);
                resolved++;
            }
            else if (options.RegistrationTimeout is { } limit && d.CreatedAt + limit <= now)
            {
                await FailStrandedAsync(d, $"No registration within {Describe(limit)} ({DeploymentService.WaitingForPod}).").ConfigureAwait(false);
                resolved++;
            }
        }

        await Task.WhenAll(launches).ConfigureAwait(false);
        var relaunching = pending.Where(d => Runs(d.DockerImage)).Select(d => d.AgentId).ToHashSet();
        foreach (var agentId in syncing.Where(id => !relaunching.Contains(id)))
            await SettleSyncAsync(agentId).ConfigureAwait(false);
        return resolved;
    }

    /// <summary>
    /// The verdict of a deploy started by this service (null when it did not start it, or settled long ago).
    /// </summary>
    public Task<DeployVerdict>? WaitForSettledAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        _settling.TryGetValue(deploymentId, out var s) ? s.Task.WaitAsync(cancellationToken) : null;

    /// <summary>Awaits every deploy still settling (at shutdown, after the runtime stopped its processes).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var pending = _settling.Values.Select(s => s.Task).Concat(_watchers.Keys).Where(t => !t.IsCompleted).ToList();
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private const string RecoveryActor = "system:recovery";
    private const string StartingLocally = "starting on the local runtime";

    private bool IsSettling(Guid deploymentId) => _settling.TryGetValue(deploymentId, out var s) && !s.Task.IsCompleted;

    private Task FailStrandedAsync(Deployment d, string reason) =>
        _sync.EndAsync(d.AgentId, RecoveryActor, reason, reason,
            (t, ct) => WriteVerdictAsync(t, d.Id, new DeployVerdict(false, DeploymentStatus.Failed, SyncStatus.OutOfSync, reason, false, false), ct),
            endsRound: false);

    /// <summary>An agent left Syncing by a crash: Synced when its newest deployment is Ready, else OutOfSync saying why.</summary>
    private Task SettleSyncAsync(Guid agentId) =>
        _chokepoint.UpdateStatusAsync<bool>(agentId, RecoveryActor, "Cutover restarted during a deploy", async (t, ct) =>
        {
            if (t.Agent.Sync != SyncStatus.Syncing) return true;
            var newest = await t.Deployments.AsNoTracking().Where(d => d.ExpiresAt == null).OrderByDescending(d => d.CreatedAt)
                .FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (newest is null || newest.Status == DeploymentStatus.Ready) t.SetSync(SyncStatus.Synced);
            else t.SetSync(SyncStatus.OutOfSync, newest.StatusDetail ?? "Cutover restarted during a deploy; its outcome was not recorded.");
            return true;
        }, CancellationToken.None);

    private static string Describe(TimeSpan t) =>
        t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s" : $"{t.TotalMilliseconds:0} ms";

    private async Task<Outcome<Deployment>> LaunchAsync(Deployment d, string actor, TimeSpan readyWithin)
    {
        if (IsSettling(d.Id)) return d; // already starting here (start-up recovery and demo mode may both ask)
        ForgetOldSettled();
        string? agentName;
        await using (var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            agentName = await db.Agents.Where(a => a.Id == d.AgentId).Select(a => a.Name).FirstOrDefaultAsync().ConfigureAwait(false);
        }

        if (agentName is null) return Failure.NotFound($"No agent with id {d.AgentId}.");

        await _sync.BeginAsync(d.AgentId, actor, $"Deploying {d.DockerImage}", CancellationToken.None).ConfigureAwait(false);
        var watch = new RegistrationWatch(_bus, d.AgentId, d.Id);
        Outcome<RuntimeInstance> started;
        try
        {
            // Not bound to the caller: once a deploy begins it runs to a terminal state.
            started = await _runtime.StartAsync(new DeploymentLaunch(d.AgentId, agentName, d.Id, d.DockerImage), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e)
        {
            watch.Dispose();
            LogStartThrew(_logger, e, d.Id);
            var verdict = await SettleAsync(d, new DeployAttempt(DeployAttemptKind.StartThrew, e.Message), actor, endsRound: true).ConfigureAwait(false);
            return Failure.Conflict(verdict.Reason!);
        }

        if (!started.IsSuccess)
        {
            watch.Dispose();
            var attempt = new DeployAttempt(DeployAttemptKind.StartRefused, started.Failure!.Detail);
            var verdict = await SettleAsync(d, attempt, actor, endsRound: true).ConfigureAwait(false);
            return Failure.Conflict(verdict.Reason!);
        }

        var settling = Task.Run(() => AwaitReadyAsync(d, started.Value!, watch, actor, readyWithin));
        _settling[d.Id] = new Settling(settling, _time.GetUtcNow());
        return d;
    }

    private async Task<DeployVerdict> AwaitReadyAsync(Deployment d, RuntimeInstance instance, RegistrationWatch watch, string actor,
        TimeSpan readyWithin)
    {
        DeployAttempt attempt;
        using (watch)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            var timer = Task.Delay(readyWithin, _time, timeout.Token);
            var first = await Task.WhenAny(watch.Registered, instance.Exited, timer).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            if (first == watch.Registered)
            {
                attempt = new DeployAttempt(DeployAttemptKind.Registered);
            }
            else if (first == instance.Exited)
            {
                var exit = await instance.Exited.ConfigureAwait(false);
                attempt = exit.Requested
                    ? new DeployAttempt(DeployAttemptKind.StoppedBeforeReady, "stopped by Cutover", exit.ExitCode)
                    : new DeployAttempt(DeployAttemptKind.ExitedBeforeReady, null, exit.ExitCode, exit.LastOutput);
            }
            else if (_stopping.IsCancellationRequested)
            {
                attempt = new DeployAttempt(DeployAttemptKind.StoppedBeforeReady, "Cutover is shutting down");
            }
            else
            {
                attempt = new DeployAttempt(DeployAttemptKind.TimedOut, null, null, _runtime.GetOutput(d.Id).Lines);
            }
        }

        var verdict = await SettleAsync(d, attempt, actor, endsRound: true).ConfigureAwait(false);
        if (verdict.Succeeded) Track(WatchExitAsync(d, instance, actor));
        return verdict;
    }

    /// <summary>A Ready deployment whose process dies on its own is Failed, and the agent OutOfSync.</summary>
    private async Task WatchExitAsync(Deployment d, RuntimeInstance instance, string actor)
    {
        var exit = await instance.Exited.ConfigureAwait(false);
        if (exit.Requested) return;
        var attempt = new DeployAttempt(DeployAttemptKind.ExitedAfterReady, null, exit.ExitCode, exit.LastOutput);
        await SettleAsync(d, attempt, "system:runtime", endsRound: false).ConfigureAwait(false);
    }

    /// <summary>Interprets what happened (the one interpreter), stops the process if asked, then writes the verdict.</summary>
    private async Task<DeployVerdict> SettleAsync(Deployment d, DeployAttempt attempt, string actor, bool endsRound)
    {
        var verdict = DeployInterpreter.Interpret(attempt, _options.CurrentValue.ReadyTimeout);
        try
        {
            if (verdict.StopProcess) await _runtime.StopAsync(d.Id, CancellationToken.None).ConfigureAwait(false);
            await _sync.EndAsync(d.AgentId, actor, verdict.Reason, verdict.Succeeded ? null : verdict.Reason,
                (t, ct) => WriteVerdictAsync(t, d.Id, verdict, ct), endsRound).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The database is gone or broken; nothing more can be recorded, but the caller still gets the verdict.
            LogSettleFailed(_logger, e, d.Id, attempt.Kind);
        }

        if (verdict.Succeeded) LogReady(_logger, d.Id, d.DockerImage.Value);
        else LogFailed(_logger, d.Id, d.DockerImage.Value, verdict.Reason);
        return verdict;
    }

    /// <summary>
    /// Only Failed is written here: Ready is the registration path's to write. Every status may become Failed, so
    /// nothing here can keep the sync from ending.
    /// </summary>
    private static async Task WriteVerdictAsync(StatusTransaction t, Guid deploymentId, DeployVerdict verdict, CancellationToken ct)
    {
        if (verdict.Status != DeploymentStatus.Failed) return;
        var d = await t.FindDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
        // Stopped on purpose while it was starting: its ending is what was asked for, not a failure.
        if (d is null || d.Status == DeploymentStatus.Stopped) return;
        t.SetDeploymentStatus(d, DeploymentStatus.Failed, verdict.Reason);
        if (verdict.ProcessDied) t.SetDeploymentHealth(d, HealthStatus.Unhealthy, verdict.Reason);
    }

    private void Track(Task task)
    {
        _watchers[task] = 0;
        _ = task.ContinueWith(t => _watchers.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void ForgetOldSettled()
    {
        var cutoff = _time.GetUtcNow() - KeepSettled;
        foreach (var (id, s) in _settling)
        {
            if (s.Task.IsCompleted && s.StartedAt < cutoff) _settling.TryRemove(id, out _);
        }
    }

    private sealed record Settling(Task<DeployVerdict> Task, DateTimeOffset StartedAt);

    [LoggerMessage(LogLevel.Error, "Starting deployment {DeploymentId} threw")]
    private static partial void LogStartThrew(ILogger logger, Exception e, Guid deploymentId);

    [LoggerMessage(LogLevel.Error, "Could not record the outcome ({Kind}) of deployment {DeploymentId}")]
    private static partial void LogSettleFailed(ILogger logger, Exception e, Guid deploymentId, DeployAttemptKind kind);

    [LoggerMessage(LogLevel.Information, "Deployment {DeploymentId} ({Image}) is Ready")]
    private static partial void LogReady(ILogger logger, Guid deploymentId, string image);

    [LoggerMessage(LogLevel.Warning, "Deployment {DeploymentId} ({Image}) failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid deploymentId, string image, string? reason);
}
