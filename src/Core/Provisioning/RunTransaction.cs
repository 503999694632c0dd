using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Provisioning;

/// <summary>
/// The only writer of a run's status and its ledger steps, handed out by
/// <see cref="StatusChokepoint.UpdateRunAsync{T}"/> inside its transaction. It can also create an agent in that same
/// transaction (<see cref="CreateAgentAsync"/>), which is how a ledger row and the agent it records commit together.
/// </summary>
public sealed class RunTransaction
{
    private readonly CutoverDbContext _db;
    private readonly List<RunChange> _changes = [];
    private readonly List<StatusTransaction> _agents = [];

    internal RunTransaction(CutoverDbContext db, ProvisioningRun run, string actor, string? reason, DateTime now)
    {
        _db = db;
        Run = run;
        Actor = actor;
        Reason = reason;
        Now = now;
    }

    public ProvisioningRun Run { get; }

    public string Actor { get; }

    public string? Reason { get; }

    public DateTime Now { get; }

    internal IReadOnlyList<RunChange> Changes => _changes;

    /// <summary>The agents this transaction created, whose own changes are published after the commit too.</summary>
    internal IReadOnlyList<StatusTransaction> AgentTransactions => _agents;

    /// <summary>The run's ledger, tracked, in spec order.</summary>
    public Task<List<LedgerEntry>> LedgerAsync(CancellationToken cancellationToken) =>
        _db.LedgerEntries.Where(e => e.RunId == Run.Id).OrderBy(e => e.Position).ToListAsync(cancellationToken);

    public Task<LedgerEntry?> FindEntryAsync(Guid entryId, CancellationToken cancellationToken) =>
        _db.LedgerEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.RunId == Run.Id, cancellationToken);

    /// <summary>
    /// Creates a new agent in this transaction, or refuses when the name is taken (by a live or a deleted agent).
    /// A concurrent create of the same name loses on the unique index; the chokepoint's next attempt then refuses it here.
    /// </summary>
    public async Task<Outcome<StatusTransaction>> CreateAgentAsync(string name, string? description, CancellationToken cancellationToken)
    {
        if (await _db.Agents.AnyAsync(a => a.Name == name, cancellationToken).ConfigureAwait(false))
            return Failure.Conflict($"An agent named '{name}' already exists.");
        var agent = new Agent(Guid.CreateVersion7(), name, description, Now);
        _db.Agents.Add(agent);
        var t = new StatusTransaction(_db, agent, Actor, Reason, Now);
        t.AgentCreated();
        _agents.Add(t);
        return t;
    }

    /// <summary>Adds the run's ledger rows (a new run only).</summary>
    internal void AddLedger(IEnumerable<LedgerEntry> entries)
    {
        foreach (var e in entries)
        {
            _db.LedgerEntries.Add(e);
            Record(e);
        }
    }

    /// <summary>Records a new run (its first change).</summary>
    internal void RunCreated() => Record(null);

    public Failure? SetStatus(RunStatus to, string? error = null)
    {
        if (Run.Status == to)
        {
            return null;
        }

        if (!Transitions.IsAllowed(Run.Status, to)) return Failure.Conflict($"A provisioning run cannot go from {Run.Status} to {to}.");
        Run.WriteStatus(to, error, Now);
        Record(null);
        return null;
    }

    /// <summary>
    /// Moves a ledger row to <paramref name="to"/> (checked against the transition table), or, when it is already
    /// there, updates only its error. <see cref="LedgerStep.Created"/> needs the agent and deployment just created.
    /// </summary>
    public Failure? SetStep(LedgerEntry entry, LedgerStep to, string? error = null, Guid? agentId = null, Guid? deploymentId = null)
    {
        if (entry.RunId != Run.Id) throw new InvalidOperationException("A run transaction only changes its own ledger.");
        if (entry.Step == to)
        {
            if (error == entry.Error) return null;
        }
        else if (!Transitions.IsAllowed(entry.Step, to))
        {
            return Failure.Conflict($"Ledger row '{entry.AgentName}' cannot go from {entry.Step} to {to}.");
        }

        if (to == LedgerStep.Created)
        {
            if (agentId is not { } a || deploymentId is not { } d) throw new ArgumentException("Created needs the agent and deployment ids.");
            entry.WriteCreated(a, d);
        }

        entry.WriteStep(to, error, Now);
        Record(entry);
        return null;
    }

    private void Record(LedgerEntry? e)
    {
        var sequence = Run.NextVersion();
        _changes.Add(e is null
            ? new RunChange(Run.Id, Run.Status, null, null, null, null, null, Run.Error, sequence, Now)
            : new RunChange(Run.Id, Run.Status, e.Id, e.AgentName, e.AgentId, e.DeploymentId, e.Step, e.Error, sequence, Now));
    }
}
