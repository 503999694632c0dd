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
        var token = new ApiToken(Guid.CreateVersion7(), request.Name!.Trim(), request.Kind, agent ? null : request.Role,
            agent ? request.AgentName!.Trim() : null, TokenSecrets.Prefix(text), TokenSecrets.Hash(text), now,
            request.ExpiresAt?.UtcDateTime, actor);
        var what = agent ? $"agent token for {token.AgentName}" : $"personal token, role {token.Role}";

        using var entered = await gate.EnterAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        db.Events.Add(TimelineEvent.Audit(EventKind.TokenCreated, actor, what, $"{token.Name} ({token.Prefix}…)", now));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Token {TokenName} ({Prefix}…, {What}) created by {Actor}", token.Name, token.Prefix, what, actor);
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

        var now = time.GetUtcNow().UtcDateTime;
        token.RevokedAt = now;
        db.Events.Add(TimelineEvent.Audit(EventKind.TokenRevoked, actor, null, $"{token.Name} ({token.Prefix}…)", now));
        await db.SaveChangesAsync(cancellationToken);
        cache.Forget(token.Id);
        logger.LogInformation("Token {TokenName} ({Prefix}…) revoked by {Actor}", token.Name, token.Prefix, actor);
        return TokenSummary.From(token);
    }

    private static Failure? Validate(NewToken r, DateTime now)
    {
        var name = r.Name?.Trim() ?? "";
        if (name.Length == 0) return Failure.Invalid("name", "A token needs a name that says what uses it.");
        if (name.Length > ApiToken.NameMaxLength) return Failure.Invalid("name", $"A token name is at most {ApiToken.NameMaxLength} characters.");
        if (r.ExpiresAt is { } expires && expires.UtcDateTime <= now)
            return Failure.Invalid("expiresAt", "The expiry must be in the future.");

        if (r.Kind == TokenKind.Agent)
        {
            var agent = r.AgentName?.Trim() ?? "";
            if (agent.Length == 0) return Failure.Invalid("agentName", "An agent token is bound to one agent: name it.");
            if (agent.Length > Agent.NameMaxLength) return Failure.Invalid("agentName", $"An agent name is at most {Agent.NameMaxLength} characters.");
            if (agent.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return Failure.Invalid("agentName", "An agent name has no spaces or control characters.");
            if (r.Role is not null) return Failure.Invalid("role", "An agent token has no role: it may only register its agent and report its health.");
            return null;
        }

        if (r.AgentName is { Length: > 0 }) return Failure.Invalid("agentName", "Only agent tokens are bound to an agent.");
        return r.Role is null ? Failure.Invalid("role", "A personal token needs a role: Viewer, Operator or Admin.") : null;
    }
}
