using System.Collections.Concurrent;
using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cutover.Core.Deploy;

/// <summary>
/// Deploys through the configured runtime: creates the deployment Pending, starts it, and settles it Ready (the
/// agent registered) or Failed (with the reason) in the background. Images the runtime does not run are only
/// created Pending, for an outside system to start, exactly as <see cref="DeploymentService.CreateAsync"/> does.
/// </summary>
public sealed partial class DeployService
{
    private static readonly TimeSpan KeepSettled = TimeSpan.FromMinutes(10);

    private readonly DeploymentService _deployments;
    private readonly StatusBus _bus;
    private readonly IDeploymentRuntime _runtime;
    private readonly IDbContextFactory<CutoverDbContext> _dbFactory;
    private readonly IOptionsMonitor<RuntimeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeployService> _logger;
    private readonly DeploySync _sync;
    private readonly ConcurrentDictionary<Guid, Settling> _settling = new();
    private readonly ConcurrentDictionary<Task, byte> _watchers = new();
    private readonly CancellationTokenSource _stopping = new();

    public DeployService(DeploymentService deployments, StatusChokepoint chokepoint, StatusBus bus,
        IDeploymentRuntime runtime, IDbContextFactory<CutoverDbContext> dbFactory, IOptionsMonitor<RuntimeOptions> options,
        TimeProvider time, ILogger<DeployService> logger)
    {
        _deployments = deployments;
        _bus = bus;
        _runtime = runtime;
        _dbFactory = dbFactory;
        _options = options;
        _time = time;
        _logger = logger;
        _sync = new DeploySync(chokepoint);
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
        var created = await _deployments.CreateAsync(agentId, image, metadataJson, actor, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess || !Runs(image)) return created;
        return await LaunchAsync(created.Value!, actor).ConfigureAwait(false);
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
        return await LaunchAsync(d, actor).ConfigureAwait(false);
    }

    /// <summary>
    /// Rolls back like <see cref="DeploymentService.RollbackAsync"/>; with <paramref name="stopReplaced"/> the
    /// deployment that was production is stopped afterwards (clean-up of a bad release).
    /// </summary>
    public async Task<Outcome<Deployment>> RollbackAsync(Guid agentId, Guid? toDeploymentId, string? reason, string actor,
        bool stopReplaced, CancellationToken cancellationToken, Guid? expectedProductionDeploymentId = null)
    {
        Guid? replaced;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            replaced = await db.Agents.Where(a => a.Id == agentId).Select(a => a.ProductionDeploymentId)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }

        var outcome = await _deployments.RollbackAsync(agentId, toDeploymentId, reason, actor, cancellationToken,
            expectedProductionDeploymentId).ConfigureAwait(false);
        if (outcome.IsSuccess && stopReplaced && replaced is { } old && old != outcome.Value!.Id)
            await _runtime.StopAsync(old, CancellationToken.None).ConfigureAwait(false);
        return outcome;
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

    private async Task<Outcome<Deployment>> LaunchAsync(Deployment d, string actor)
    {
        ForgetOldSettled();
        string? agentName;
        await using (var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            agentName = await db.Agents.Where(a => a.Id == d.AgentId).Select(a => a.Name).FirstOrDefaultAsync().ConfigureAwait(false);
        }

        if (agentName is null) return Failure.NotFound($"No agent with id {d.AgentId}.");

        await _sync.BeginAsync(d.AgentId, actor, $"Deploying {d.DockerImage}").ConfigureAwait(false);
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

        var settling = Task.Run(() => AwaitReadyAsync(d, started.Value!, watch, actor));
        _settling[d.Id] = new Settling(settling, _time.GetUtcNow());
        return d;
    }

    private async Task<DeployVerdict> AwaitReadyAsync(Deployment d, RuntimeInstance instance, RegistrationWatch watch, string actor)
    {
        DeployAttempt attempt;
        using (watch)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            var timer = Task.Delay(_options.CurrentValue.ReadyTimeout, _time, timeout.Token);
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
            await _sync.EndAsync(d.AgentId, d.Id, verdict, actor, endsRound).ConfigureAwait(false);
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
