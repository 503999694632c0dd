using System.Collections.Concurrent;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>The fault an agent of a run meets, injected around the real steps.</summary>
public enum Fault
{
    None,
    /// <summary>The create throws before anything is written.</summary>
    CreateThrows,
    /// <summary>The create commits, then throws (a connection lost after the commit).</summary>
    CreateThrowsAfterCommit,
    /// <summary>The create commits, then this process "dies": nothing more ever happens in it.</summary>
    DieAfterCreate,
    /// <summary>The wake throws before the runtime is asked.</summary>
    WakeThrows,
    /// <summary>The wake starts the process, then never returns.</summary>
    WakeHangs,
}

/// <summary>
/// The test seam of the create path: the real <see cref="ProvisioningSteps"/>, with faults injected per agent name.
/// It also counts wakes in flight, and can hold every wake until released (to observe the parallelism bound).
/// </summary>
internal sealed class FaultySteps(ProvisioningSteps inner, IDbContextFactory<CutoverDbContext> dbFactory) : IProvisioningSteps
{
    private readonly TaskCompletionSource _never = new();
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentDictionary<string, Fault> Faults { get; } = new();

    /// <summary>When set, each wake waits for it before going on.</summary>
    public TaskCompletionSource? HoldWakes { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Completes when the first create that "dies" has committed.</summary>
    public TaskCompletionSource Died { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool CanWake(DockerImage image) => inner.CanWake(image);

    public async Task<Outcome<CreatedAgent>> CreateAsync(Guid runId, Guid entryId, string actor, CancellationToken cancellationToken)
    {
        var fault = await FaultOfAsync(entryId);
        if (fault == Fault.CreateThrows) throw new InvalidOperationException("create failed (injected)");
        var created = await inner.CreateAsync(runId, entryId, actor, cancellationToken);
        if (fault == Fault.CreateThrowsAfterCommit) throw new IOException("connection lost after the commit (injected)");
        if (fault == Fault.DieAfterCreate)
        {
            Died.TrySetResult();
            await _never.Task;
        }

        return created;
    }

    public async Task<string?> WakeAsync(CreatedAgent agent, string actor, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            if (HoldWakes is { } hold) await hold.Task.WaitAsync(cancellationToken);
            var fault = await FaultOfAgentAsync(agent.AgentId);
            if (fault == Fault.WakeThrows) throw new InvalidOperationException("wake failed (injected)");
            if (fault == Fault.WakeHangs)
            {
                // The process starts, then the wake never answers.
                _ = inner.WakeAsync(agent, actor, CancellationToken.None);
                await _never.Task;
            }

            return await inner.WakeAsync(agent, actor, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task TearDownAsync(Guid agentId, string actor, CancellationToken cancellationToken) => inner.TearDownAsync(agentId, actor, cancellationToken);

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken) => inner.StopAsync(deploymentId, cancellationToken);

    private async Task<Fault> FaultOfAsync(Guid entryId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var name = await db.LedgerEntries.Where(e => e.Id == entryId).Select(e => e.AgentName).SingleAsync();
        return Faults.GetValueOrDefault(name);
    }

    private async Task<Fault> FaultOfAgentAsync(Guid agentId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var name = await db.Agents.Where(a => a.Id == agentId).Select(a => a.Name).SingleAsync();
        return Faults.GetValueOrDefault(name);
    }
}
