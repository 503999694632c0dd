using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Core.Results;
using Cutover.Core.Status;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Creates, lists and revokes API tokens. The secret is generated here, returned once, and only its SHA-256 is
/// stored; revocation removes the token from <see cref="TokenCache"/> so it fails on its next request.
/// </summary>
public sealed class ApiTokens(
    IDbContextFactory<CutoverDbContext> dbFactory,
    IWriteGate gate,
    TokenCache cache,
    HubConnections connections,
    ScaleOut.SecurityRelay relay,
    TimeProvider time,
    ILogger<ApiTokens> logger)
{
    public async Task<IReadOnlyList<TokenSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiTokens.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderByDescending(t => t.CreatedAt).Select(TokenSummary.From).ToList();
    }

    public async Task<Outcome<CreatedToken>> CreateAsync(NewToken request, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (Validate(request, now) is { } invalid) return invalid;

        var text = TokenSecrets.NewToken(request.Kind);
        var agent = request.Kind == TokenKind.Agent;
        var ci = request.Kind == TokenKind.Ci;
        var token = new ApiToken(Guid.CreateVersion7(), request.Name!.Trim(), request.Kind, agent || ci ? null : request.Role,
            agent ? request.AgentName!.Trim() : null, TokenSecrets.Prefix(text), TokenSecrets.Hash(text), now,
            request.ExpiresAt?.UtcDateTime, actor, ci ? request.SourceId : null);

        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (ci && !await db.Set<Core.Sources.Source>().AnyAsync(s => s.Id == request.SourceId, cancellationToken))
            return Failure.Invalid("sourceId", $"No source with id {request.SourceId}.");
        AddCreated(db, token, actor, now);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(token, actor);
        return new CreatedToken(TokenSummary.From(token), text);
    }

    /// <summary>Revokes a token; it fails on its next use. Revoking an already revoked token changes nothing.</summary>
    public async Task<Outcome<TokenSummary>> RevokeAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null) return Failure.NotFound($"No token with id {id}.");
        if (token.RevokedAt is not null) return TokenSummary.From(token);

        MarkRevoked(db, token, actor, null, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await ForgetAsync(token, actor);
        return TokenSummary.From(token);
    }

    /// <summary>
    /// Mints an agent token on the system's behalf (the local runtime, <paramref name="actor"/> "system:runtime")
    /// and, in the same transaction, revokes the live agent tokens of that name the same actor minted before: their
    /// text died with the process that held it. Audited exactly like <see cref="CreateAsync"/> and
    /// <see cref="RevokeAsync"/>. Takes the write gate, which is not re-entrant: never call this from inside a
    /// status change (<see cref="StatusChokepoint.UpdateStatusAsync{T}"/>), whose writer holds the same gate.
    /// </summary>
    internal async Task<CreatedToken> ReplaceSystemAgentTokenAsync(string name, string agentName, string actor, string revokeReason,
        CancellationToken cancellationToken)
    {
        var text = TokenSecrets.NewToken(TokenKind.Agent);
        using var entered = await gate.EnterAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stale = await db.ApiTokens
            .Where(t => t.Name == name && t.CreatedBy == actor && t.Kind == TokenKind.Agent && t.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var old in stale) MarkRevoked(db, old, actor, revokeReason, now);
        var token = new ApiToken(Guid.CreateVersion7(), name, TokenKind.Agent, null, agentName, TokenSecrets.Prefix(text),
            TokenSecrets.Hash(text), now, null, actor);
        AddCreated(db, token, actor, now);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var old in stale) await ForgetAsync(old, actor);
        LogCreated(token, actor);
        return new CreatedToken(TokenSummary.From(token), text);
    }

    // The audit trail names a token by its name and public prefix, never by its text or hash.
    private static string Subject(ApiToken token) => $"{token.Name} ({token.Prefix}…)";

    private static string What(ApiToken token) =>
        token.Kind switch
        {
            TokenKind.Agent => $"agent token for {token.AgentName}",
            TokenKind.Ci => $"ci token for source {token.SourceId}",
            _ => $"personal token, role {token.Role}",
        };

    private static void AddCreated(CutoverDbContext db, ApiToken token, string actor, DateTime now)
    {
        db.ApiTokens.Add(token);
        db.Events.Add(TimelineEvent.Audit(EventKind.TokenCreated, actor, What(token), Subject(token), now));
    }

    private static void MarkRevoked(CutoverDbContext db, ApiToken token, string actor, string? reason, DateTime now)
    {
        token.RevokedAt = now;
        db.Events.Add(TimelineEvent.Audit(EventKind.TokenRevoked, actor, reason, Subject(token), now));
    }

    private void LogCreated(ApiToken token, string actor) =>
        logger.LogInformation("Token {TokenName} ({Prefix}…, {What}) created by {Actor}", token.Name, token.Prefix, What(token), actor);

    /// <summary>After the revocation committed: the token fails on its next request here, and on the other nodes once they hear.</summary>
    private async Task ForgetAsync(ApiToken token, string actor)
    {
        cache.Forget(token.Id);
        connections.EndToken(token.Id);
        await relay.TokenRevokedAsync(token.Id, CancellationToken.None);
        logger.LogInformation("Token {TokenName} ({Prefix}…) revoked by {Actor}", token.Name, token.Prefix, actor);
    }

    private static Failure? Validate(NewToken r, DateTime now)
    {
        var name = r.Name?.Trim() ?? "";
        if (name.Length == 0) return Failure.Invalid("name", "A token needs a name that says what uses it.");
        if (name.Length > ApiToken.NameMaxLength) return Failure.Invalid("name", $"A token name is at most {ApiToken.NameMaxLength} characters.");
        if (r.Name!.Any(char.IsControl)) return Failure.Invalid("name", "A token name has no control characters.");
        if (r.ExpiresAt is { } expires && expires.UtcDateTime <= now)
            return Failure.Invalid("expiresAt", "The expiry must be in the future.");

        if (r.Kind == TokenKind.Agent)
        {
            // Checked before trimming: "bot\n" must not silently become a token for "bot".
            if (r.AgentName is { } raw && raw.Any(char.IsControl))
                return Failure.Invalid("agentName", "An agent name has no spaces or control characters.");
            var agent = r.AgentName?.Trim() ?? "";
            if (agent.Length == 0) return Failure.Invalid("agentName", "An agent token is bound to one agent: name it.");
            if (agent.Length > Agent.NameMaxLength) return Failure.Invalid("agentName", $"An agent name is at most {Agent.NameMaxLength} characters.");
            if (agent.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return Failure.Invalid("agentName", "An agent name has no spaces or control characters.");
            if (r.Role is not null) return Failure.Invalid("role", "An agent token has no role: it may only register its agent and report its health.");
            return null;
        }

        if (r.AgentName is { Length: > 0 }) return Failure.Invalid("agentName", "Only agent tokens are bound to an agent.");
        if (r.Kind == TokenKind.Ci)
        {
            if (r.SourceId is null) return Failure.Invalid("sourceId", "A ci token is bound to one source: give its sourceId.");
            if (r.Role is not null) return Failure.Invalid("role", "A ci token has no role: it may only sync its source.");
            return null;
        }

        if (r.SourceId is not null) return Failure.Invalid("sourceId", "Only ci tokens are bound to a source.");
        return r.Role is null ? Failure.Invalid("role", "A personal token needs a role: Viewer, Operator or Admin.") : null;
    }
}
