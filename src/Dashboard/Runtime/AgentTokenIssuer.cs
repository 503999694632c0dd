using Cutover.Core.Domain;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Agent tokens for the processes the local runtime starts: one per agent name, minted on first use. Only the hash
/// is stored (as for every token); the text lives in this object and in the child's environment, nowhere else.
/// Tokens minted by an earlier run of the dashboard are revoked when a new one is minted: their text is lost.
/// </summary>
public sealed class AgentTokenIssuer(IDbContextFactory<CutoverDbContext> dbFactory, TokenCache cache, TimeProvider time)
{
    public const string CreatedBy = "system:runtime";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public static string TokenName(string agentName) => $"runtime:{agentName}";

    public async Task<string> GetAsync(string agentName, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(agentName, out var known)) return known;

            var text = TokenSecrets.NewToken(TokenKind.Agent);
            var now = time.GetUtcNow().UtcDateTime;
            var name = TokenName(agentName);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var stale = await db.ApiTokens
                .Where(t => t.Name == name && t.CreatedBy == CreatedBy && t.Kind == TokenKind.Agent && t.RevokedAt == null)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var old in stale) old.RevokedAt = now;
            db.ApiTokens.Add(new ApiToken(Guid.CreateVersion7(), name, TokenKind.Agent, null, agentName,
                TokenSecrets.Prefix(text), TokenSecrets.Hash(text), now, null, CreatedBy));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var old in stale) cache.Forget(old.Id);
            _tokens[agentName] = text;
            return text;
        }
        finally
        {
            _lock.Release();
        }
    }
}
