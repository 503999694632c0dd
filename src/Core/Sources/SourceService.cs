using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Core.Sources;

/// <summary>Creates, lists, shows and deletes sources. Deleting one never deletes an agent.</summary>
public sealed class SourceService(
    IDbContextFactory<CutoverDbContext> dbFactory,
    ISourceSecrets secrets,
    StatusChokepoint chokepoint,
    GitCli git,
    TimeProvider time,
    SourceNotifier notifier)
{
    public const int SecretMaxLength = 1024;

    public async Task<Outcome<SourceView>> CreateAsync(NewSource request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) return Failure.Invalid("name", "'name' is required.");
        var name = request.Name.Trim();
        if (!AgentNameRule.IsValid(name)) return Failure.Invalid("name", $"'name' {AgentNameRule.Description}.");
        if (SourceRules.RepoUrl(request.RepoUrl) is { } url) return url;
        var branch = string.IsNullOrEmpty(request.Branch) ? "main" : request.Branch;
        if (SourceRules.Branch(branch) is { } b) return b;
        var path = string.IsNullOrEmpty(request.Path) ? "cutover.yaml" : request.Path;
        if (SourceRules.ManifestPath(path) is { } p) return p;
        if (SourceRules.PollInterval(request.PollInterval, out var interval) is { } i) return i;
        if (Secret(request.WebhookSecret, "webhookSecret") is { } ws) return ws;
        if (Secret(request.AccessToken, "accessToken") is { } at) return at;

        var source = new Source(Guid.CreateVersion7(), name, request.RepoUrl!.Trim(), branch, path, interval,
            string.IsNullOrEmpty(request.WebhookSecret) ? null : secrets.Protect(request.WebhookSecret),
            string.IsNullOrEmpty(request.AccessToken) ? null : secrets.Protect(request.AccessToken),
            time.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<Source>().AnyAsync(s => s.Name == name, cancellationToken).ConfigureAwait(false))
            return Failure.Conflict($"A source named '{name}' already exists.");
        db.Add(source);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return Failure.Conflict($"A source named '{name}' already exists.");
        }

        notifier.Notify(source.Id);
        return SourceView.From(source, []);
    }

    public async Task<IReadOnlyList<SourceView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var sources = await db.Set<Source>().AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var declared = (await db.Set<SourceAgent>().AsNoTracking().Select(a => new { a.SourceId, a.AgentName })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(a => a.SourceId, a => a.AgentName);
        return sources.Select(s => SourceView.From(s, declared[s.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    public async Task<SourceView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var source = await db.Set<Source>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        if (source is null) return null;
        var agents = await db.Set<SourceAgent>().AsNoTracking().Where(a => a.SourceId == id).Select(a => a.AgentName)
            .OrderBy(n => n).ToListAsync(cancellationToken).ConfigureAwait(false);
        return SourceView.From(source, agents);
    }

    /// <summary>The agents a source declares, with what it declared at its last sync.</summary>
    public async Task<IReadOnlyList<SourceAgent>> DeclaredAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SourceAgent>().AsNoTracking().Where(a => a.SourceId == id).OrderBy(a => a.AgentName)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sync history of a source, newest first.</summary>
    public async Task<IReadOnlyList<SourceSync>?> SyncsAsync(Guid id, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Set<Source>().AnyAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)) return null;
        return await db.Set<SourceSync>().AsNoTracking().Where(s => s.SourceId == id).OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id)
            .Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the source; its agents keep running and are marked OutOfSync, no longer declared.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        List<SourceAgent> declared;
        string name;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var source = await db.Set<Source>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
            if (source is null) return Failure.NotFound($"No source with id {id}.");
            name = source.Name;
            declared = await db.Set<SourceAgent>().AsNoTracking().Where(a => a.SourceId == id).ToListAsync(cancellationToken).ConfigureAwait(false);
            db.Remove(source);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var a in declared) await MarkUndeclaredAsync(chokepoint, a.AgentId, actor, $"no longer declared: source {name} was deleted").ConfigureAwait(false);
        git.Forget(id);
        notifier.Notify(id);
        return true;
    }

    /// <summary>An agent no source declares any more: OutOfSync with the reason, left running.</summary>
    internal static Task<Outcome<bool>> MarkUndeclaredAsync(StatusChokepoint chokepoint, Guid agentId, string actor, string reason) =>
        chokepoint.UpdateStatusAsync<bool>(agentId, actor, reason, (t, _) =>
        {
            // A sync of its own in flight (Syncing) ends by itself; only a settled agent is marked.
            if (t.Agent.Sync != SyncStatus.Syncing) t.SetSync(SyncStatus.OutOfSync, reason);
            return Task.FromResult<Outcome<bool>>(true);
        }, CancellationToken.None);

    private static Failure? Secret(string? value, string field) =>
        value is { Length: > SecretMaxLength } ? Failure.Invalid(field, $"'{field}' must be at most {SecretMaxLength} characters.")
        : value is not null && value.Any(char.IsControl) ? Failure.Invalid(field, $"'{field}' must not contain control characters.")
        : null;
}
