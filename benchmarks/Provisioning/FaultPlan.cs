using System.Collections.Concurrent;
using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Provisioning;
using Cutover.Core.Results;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Benchmarks.Provisioning;

public enum Fault
{
    None,
    CreateThrows,
    CreateThrowsAfterCommit,
    WakeThrows,
    WakeHangs,
}

/// <summary>
/// Faults by agent name, injected around the app's real steps through the <see cref="IProvisioningSteps"/> seam (the
/// benchmark's stand-in for the test seam; the app itself has only the interface).
/// </summary>
internal sealed class FaultPlan(ProvisioningSteps inner, IDbContextFactory<CutoverDbContext> dbFactory) : IProvisioningSteps
{
    private readonly TaskCompletionSource _never = new();

    private int _met;

    public ConcurrentDictionary<string, Fault> Faults { get; } = new();

    /// <summary>Faults that actually fired (an agent not started after an earlier failure never meets its fault).</summary>
    public int Met => Volatile.Read(ref _met);

    public bool CanWake(DockerImage image) => inner.CanWake(image);

    public async Task<Outcome<CreatedAgent>> CreateAsync(Guid runId, Guid entryId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.LedgerEntries.Where(e => e.Id == entryId).Select(e => e.AgentName).SingleAsync(cancellationToken);
        var fault = Faults.GetValueOrDefault(name);
        if (fault is Fault.CreateThrows or Fault.CreateThrowsAfterCommit) Interlocked.Increment(ref _met);
        if (fault == Fault.CreateThrows) throw new InvalidOperationException("create failed (injected)");
        var created = await inner.CreateAsync(runId, entryId, actor, cancellationToken);
        if (fault == Fault.CreateThrowsAfterCommit) throw new IOException("connection lost after the commit (injected)");
        return created;
    }

    public async Task<string?> WakeAsync(CreatedAgent agent, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Agents.Where(a => a.Id == agent.AgentId).Select(a => a.Name).SingleAsync(cancellationToken);
        var fault = Faults.GetValueOrDefault(name);
        if (fault is Fault.WakeThrows or Fault.WakeHangs) Interlocked.Increment(ref _met);
        if (fault == Fault.WakeThrows) throw new InvalidOperationException("wake failed (injected)");
        if (fault == Fault.WakeHangs)
        {
            _ = inner.WakeAsync(agent, actor, CancellationToken.None);
            await _never.Task;
        }

        return await inner.WakeAsync(agent, actor, cancellationToken);
    }

    public Task TearDownAsync(Guid agentId, string actor, CancellationToken cancellationToken) => inner.TearDownAsync(agentId, actor, cancellationToken);

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken) => inner.StopAsync(deploymentId, cancellationToken);
}
