using System.Collections.Concurrent;
using Cutover.Core.Guards;
using Cutover.Core.Persistence;
using Cutover.Core.Status;
using Cutover.Dashboard.ScaleOut;
using Cutover.Dashboard.Traffic;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Guards;

/// <summary>
/// This node's share of each guard's evidence: the RPCs it forwarded to the guarded deployment since the guard
/// began, written to the guard's sample row for this process (<see cref="GuardSample"/>). Every node reports, so
/// the node that judges sees all the traffic. The count starts when this node learns of the guard (its start
/// change, which also switches this node's routes), or, for a guard already watching when this process started,
/// at its first round.
/// </summary>
public sealed class GuardTraffic(
    TrafficFigures figures,
    IDbContextFactory<CutoverDbContext> dbFactory,
    IWriteGate gate,
    NodeIdentity node,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, (DateTime At, TrafficTotals Totals)> _started = new();
    private readonly Dictionary<Guid, Counted> _counted = [];
    private readonly SemaphoreSlim _reporting = new(1, 1);

    /// <summary>This process's sample key: the node's name and this start.</summary>
    public string Reporter { get; } = Clip($"{node.Name}/{node.Id:N}");

    /// <summary>
    /// A guard began watching <paramref name="deploymentId"/> at <paramref name="at"/> (its start change): its count
    /// starts from the totals now.
    /// </summary>
    public void Began(Guid deploymentId, DateTime at) => _started[deploymentId] = (at, figures.Totals(deploymentId));

    /// <summary>Writes this node's counts for every watching guard whose count changed since the last report.</summary>
    public async Task ReportAsync(IReadOnlyList<Guard> watching, CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = new List<(Guid GuardId, long Requests, long Errors)>();
            foreach (var gone in _counted.Keys.Where(id => watching.All(g => g.Id != id)).ToList()) _counted.Remove(gone);
            foreach (var g in watching)
            {
                var now = figures.Totals(g.DeploymentId);
                if (!_counted.TryGetValue(g.Id, out var c))
                {
                    // The start change's totals belong to this guard only if it is this guard's start (a guard of the same
                    // deployment that ended before this node saw it leaves an older one).
                    c = new Counted(_started.TryRemove(g.DeploymentId, out var began) && (began.At - g.StartedAt).Duration() <= StartMatch
                        ? began.Totals
                        : now);
                    _counted[g.Id] = c;
                }

                if (c.Add(now)) changed.Add((g.Id, c.Requests, c.Errors));
            }

            if (changed.Count == 0) return;
            using var entered = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var ids = changed.Select(c => c.GuardId).ToList();
            var rows = await db.GuardSamples.Where(s => s.Reporter == Reporter && ids.Contains(s.GuardId))
                .ToDictionaryAsync(s => s.GuardId, cancellationToken).ConfigureAwait(false);
            var at = time.GetUtcNow().UtcDateTime;
            foreach (var (guardId, requests, errors) in changed)
            {
                if (rows.TryGetValue(guardId, out var row)) row.Update(requests, errors, at);
                else db.GuardSamples.Add(new GuardSample(guardId, Reporter, requests, errors, at));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A guard that ended and was removed meanwhile (its samples cascade): nothing to count any more. Counts
            // are totals, so the next round writes whatever this one could not.
            foreach (var c in _counted.Values) c.Unsaved();
            throw;
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <summary>How far a start change's time may be from the stored start (the relay and the database round times).</summary>
    private static readonly TimeSpan StartMatch = TimeSpan.FromMilliseconds(1);

    private static string Clip(string s) => s.Length > GuardSample.ReporterMaxLength ? s[..GuardSample.ReporterMaxLength] : s;

    /// <summary>One guard's count on this node: the deltas of the deployment's totals since the guard's start.</summary>
    private sealed class Counted(TrafficTotals start)
    {
        private TrafficTotals _last = start;
        private bool _unsaved;

        public long Requests { get; private set; }

        public long Errors { get; private set; }

        /// <summary>Adds what was counted since the last look; true when there is something to write.</summary>
        public bool Add(TrafficTotals now)
        {
            // A different counter: the deployment was evicted and counted afresh since (everything on it is new).
            var from = ReferenceEquals(now.Counter, _last.Counter) ? _last : default;
            var requests = now.Requests - from.Requests;
            var errors = now.Errors - from.Errors;
            _last = now;
            if (requests <= 0 && !_unsaved) return false;
            Requests += Math.Max(0, requests);
            Errors += Math.Max(0, errors);
            _unsaved = false;
            return true;
        }

        public void Unsaved() => _unsaved = true;
    }
}
