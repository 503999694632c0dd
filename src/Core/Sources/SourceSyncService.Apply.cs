using System.Text.Json;
using Cutover.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Sources;

/// <summary>The per-agent half of a sync: claim, deploy or no-op, automatic promotion, and what is no longer declared.</summary>
public sealed partial class SourceSyncService
{
    private async Task<List<SyncAgentResult>> ApplyAsync(Source source, GitCommit commit, Manifest manifest, Request request, string actor)
    {
        var ct = CancellationToken.None;
        var names = manifest.Agents.Select(a => a.Name).ToList();
        List<SourceAgent> claimedBefore;
        Dictionary<string, AgentState> agents;
        HashSet<string> otherSources;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            claimedBefore = await db.Set<SourceAgent>().AsNoTracking().Where(a => a.SourceId == source.Id).ToListAsync(ct).ConfigureAwait(false);
            agents = await db.Agents.AsNoTracking().Where(a => names.Contains(a.Name))
                .ToDictionaryAsync(a => a.Name, a => new AgentState(a.Id, a.Sync, a.LastError), ct).ConfigureAwait(false);
            otherSources = (await db.Set<SourceAgent>().AsNoTracking().Where(a => a.SourceId != source.Id && names.Contains(a.AgentName))
                .Select(a => a.AgentName).ToListAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        }

        var results = new List<SyncAgentResult>(manifest.Agents.Count);
        var claimed = claimedBefore.Select(a => a.AgentName).ToHashSet(StringComparer.Ordinal);
        var applied = new List<DeclaredAgent>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declared in manifest.Agents)
        {
            if (otherSources.Contains(declared.Name))
            {
                results.Add(new SyncAgentResult(declared.Name, SourceAgentAction.Failed, null, AnotherSource));
                continue;
            }

            if (!agents.ContainsKey(declared.Name))
            {
                var agent = await chokepoint.EnsureAgentAsync(declared.Name, declared.Description, actor, ct).ConfigureAwait(false);
                agents[declared.Name] = new AgentState(agent.Id, agent.Sync, agent.LastError);
                created.Add(declared.Name);
            }

            // The claim comes first, so that two sources racing for one agent never both deploy it.
            if (!claimed.Contains(declared.Name) && !await ClaimAsync(source.Id, declared.Name, agents[declared.Name].Id).ConfigureAwait(false))
            {
                results.Add(new SyncAgentResult(declared.Name, SourceAgentAction.Failed, null, AnotherSource));
                continue;
            }

            applied.Add(declared);
        }

        Dictionary<Guid, List<Deployment>> live;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            var ids = applied.Select(a => agents[a.Name].Id).ToList();
            live = (await db.Deployments.AsNoTracking()
                    .Where(d => ids.Contains(d.AgentId) && d.ExpiresAt == null && d.Status != DeploymentStatus.Failed)
                    .ToListAsync(ct).ConfigureAwait(false))
                .GroupBy(d => d.AgentId).ToDictionary(g => g.Key, g => g.OrderByDescending(d => d.CreatedAt).ToList());
        }

        foreach (var declared in applied)
        {
            var state = agents[declared.Name];
            var running = live.GetValueOrDefault(state.Id)?.FirstOrDefault(d => d.DockerImage == declared.Image);
            results.Add(await ApplyAgentAsync(source, commit, declared, state, running, created.Contains(declared.Name), request, actor).ConfigureAwait(false));
        }

        var undeclared = claimedBefore.Where(a => !names.Contains(a.AgentName)).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var rows = await db.Set<SourceAgent>().Where(a => a.SourceId == source.Id).ToDictionaryAsync(a => a.AgentName, ct).ConfigureAwait(false);
            foreach (var declared in applied)
            {
                if (rows.TryGetValue(declared.Name, out var row)) row.Declared(declared.Image.Value, commit.Sha, now);
            }

            foreach (var u in undeclared)
            {
                if (rows.TryGetValue(u.AgentName, out var row)) db.Remove(row);
            }

            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        foreach (var u in undeclared)
        {
            await SourceService.MarkUndeclaredAsync(chokepoint, u.AgentId, actor, $"no longer declared by source {source.Name}").ConfigureAwait(false);
            results.Add(new SyncAgentResult(u.AgentName, SourceAgentAction.Undeclared, null, $"No longer declared by source {source.Name}; left running."));
        }

        return results;
    }

    private const string AnotherSource = "Another source declares this agent.";

    /// <summary>Records that this source declares the agent; false when another source got there first.</summary>
    private async Task<bool> ClaimAsync(Guid sourceId, string agentName, Guid agentId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        db.Add(new SourceAgent(sourceId, agentName, agentId));
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // The agent name is the key: another source's claim won.
            return false;
        }
    }

    /// <summary>
    /// One declared agent. The declared image already runs and the agent is Synced without an error: nothing to
    /// write (the source stamps its last sync). Otherwise one operation of the agent's sync round: Syncing once, then
    /// Synced (a no-op that ends OutOfSync or clears a stale error, or a new deploy once Ready) or OutOfSync.
    /// </summary>
    private async Task<SyncAgentResult> ApplyAgentAsync(Source source, GitCommit commit, DeclaredAgent declared, AgentState agent,
        Deployment? running, bool created, Request request, string actor)
    {
        if (running is not null && AutoPromotes(declared) && !running.IsProduction)
            Track(PromoteWhenReadyAsync(agent.Id, running.Id, declared, request, actor));
        if (running is not null && agent.Sync == SyncStatus.Synced && agent.LastError is null)
            return new SyncAgentResult(declared.Name, SourceAgentAction.NoOp, running.Id);

        var reason = $"Synced from source {source.Name} at {Short(commit.Sha)}";
        var begun = await sync.BeginAsync(agent.Id, actor, reason, CancellationToken.None).ConfigureAwait(false);
        if (!begun.IsSuccess) return new SyncAgentResult(declared.Name, SourceAgentAction.Failed, null, begun.Failure!.Detail);

        string? error = null;
        SyncAgentResult result;
        try
        {
            if (running is not null)
            {
                result = new SyncAgentResult(declared.Name, SourceAgentAction.NoOp, running.Id);
            }
            else
            {
                var deployed = await deploys.DeployAsync(agent.Id, declared.Image, Metadata(source, commit, declared), actor, CancellationToken.None)
                    .ConfigureAwait(false);
                if (!deployed.IsSuccess)
                {
                    error = deployed.Failure!.Detail;
                    result = new SyncAgentResult(declared.Name, SourceAgentAction.Failed, null, error);
                }
                else
                {
                    var d = deployed.Value!;
                    result = new SyncAgentResult(declared.Name, created ? SourceAgentAction.Created : SourceAgentAction.Deployed, d.Id,
                        AutoPromotes(declared) ? null : declared.Promote == PromoteMode.Auto ? GuardNotAvailable : null);
                    if (AutoPromotes(declared)) Track(PromoteWhenReadyAsync(agent.Id, d.Id, declared, request, actor));
                }
            }
        }
        catch (Exception e)
        {
            // A delivery failure says nothing about the running agent: OutOfSync, never Unhealthy.
            LogApplyFailed(logger, e, declared.Name);
            error = e.Message;
            result = new SyncAgentResult(declared.Name, SourceAgentAction.Failed, null, error);
        }

        // Ends this operation; the round ends with it unless a deploy it started is still settling.
        await sync.EndAsync(agent.Id, actor, reason, error, null, endsRound: true).ConfigureAwait(false);
        return result;
    }

    private sealed record AgentState(Guid Id, SyncStatus Sync, string? LastError);

    private const string GuardNotAvailable = "A guard is declared, and guarded promotion is not available yet: not promoted automatically; promote it by hand.";

    /// <summary>
    /// Only an unguarded <c>promote: auto</c> promotes by itself: promoting a guarded one without its guard would
    /// drop the safety the manifest asked for.
    /// </summary>
    private static bool AutoPromotes(DeclaredAgent declared) => declared.Promote == PromoteMode.Auto && declared.Guard is null;

    /// <summary>With <c>promote: auto</c>: promotes once the deploy is Ready, and records it in the sync's history.</summary>
    private async Task PromoteWhenReadyAsync(Guid agentId, Guid deploymentId, DeclaredAgent declared, Request request, string actor)
    {
        var settled = deploys.WaitForSettledAsync(deploymentId, CancellationToken.None);
        if (settled is not null && !(await settled.ConfigureAwait(false)).Succeeded) return;
        if (settled is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync().ConfigureAwait(false);
            var status = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.Status).FirstOrDefaultAsync().ConfigureAwait(false);
            // Started by something outside Cutover and not Ready yet: a person promotes it once it registers.
            if (status != DeploymentStatus.Ready) return;
        }

        // A declared guard was validated with the manifest; its missing fields take the defaults.
        var guard = declared.Guard is { } g
            ? Guards.GuardSettings.From(g.Window, g.MaxErrorRate, g.MinRequests, g.RequireHealthy).Value
            : null;
        var promoted = await deployments.PromoteAsync(agentId, deploymentId, "promote: auto (declared by the source)", actor, CancellationToken.None,
                guard: guard)
            .ConfigureAwait(false);
        var entry = promoted.IsSuccess
            ? new SyncAgentResult(declared.Name, SourceAgentAction.Promoted, deploymentId)
            : new SyncAgentResult(declared.Name, SourceAgentAction.Failed, deploymentId, $"Automatic promotion failed: {promoted.Failure!.Detail}");
        // The sync's own end writes its per-agent list; the promotion amends it after that, never before.
        await request.Done.Task.ConfigureAwait(false);
        // One amendment at a time: two agents promoted by one sync must not overwrite each other's entry.
        await _amend.WaitAsync().ConfigureAwait(false);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync().ConfigureAwait(false);
            var run = await db.Set<SourceSync>().FirstOrDefaultAsync(s => s.Id == request.Id).ConfigureAwait(false);
            if (run is null) return;
            var agents = run.Agents.Select(a => a.Name == declared.Name ? entry : a).ToList();
            run.End(run.Status, run.Commit, run.Error, agents, run.EndedAt ?? time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync().ConfigureAwait(false);
            notifier.Notify(run.SourceId);
        }
        finally
        {
            _amend.Release();
        }
    }

    /// <summary>The deployment's registration metadata: the manifest's metadata, then where it came from.</summary>
    private static string Metadata(Source source, GitCommit commit, DeclaredAgent declared)
    {
        var m = new Dictionary<string, string>(declared.Metadata, StringComparer.Ordinal)
        {
            ["source"] = source.Name,
            ["sourceId"] = source.Id.ToString(),
            ["commitHash"] = commit.Sha,
            ["branch"] = source.Branch,
            ["path"] = source.Path,
            ["authorName"] = commit.Author,
            ["dockerImage"] = declared.Image.Value,
        };
        return JsonSerializer.Serialize(m);
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
