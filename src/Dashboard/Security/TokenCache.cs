using System.Collections.Concurrent;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Validated bearer tokens by hash, so an API call (every RPC through the control plane, every health report) does
/// not pay a database read, nor build its claims again, to authenticate. Revocation in this process removes the entry at once, so a revoked
/// token fails on its next request; expiry is checked on every request from the cached expiry. Entries also age
/// out after <see cref="TimeToLive"/>, which bounds how long a revocation made on another node of a scaled-out
/// deployment can go unseen here. Unknown tokens are never cached, so guessing cannot grow the cache.
/// A validation reads <see cref="Generation"/> before it reads the database and hands it to <see cref="Remember"/>;
/// every <see cref="Forget"/> bumps it under the same lock, so a validation that started before a revocation can
/// never write the revoked token back after the revocation removed it.
/// </summary>
public sealed class TokenCache(TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, CachedToken> _byHash = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _generation;

    /// <summary>Read before the database lookup whose row is then passed to <see cref="Remember"/>.</summary>
    public long Generation => Volatile.Read(ref _generation);

    public CachedToken? Find(string hash)
    {
        if (!_byHash.TryGetValue(hash, out var entry)) return null;
        if (time.GetUtcNow().UtcDateTime - entry.CachedAt < TimeToLive) return entry;
        _byHash.TryRemove(new KeyValuePair<string, CachedToken>(hash, entry));
        return null;
    }

    /// <summary>
    /// Returns the entry for <paramref name="row"/>, and caches it only when no token was forgotten since
    /// <paramref name="generation"/> was read: the row may predate that revocation.
    /// </summary>
    public CachedToken Remember(string hash, ApiToken row, long generation)
    {
        var entry = new CachedToken(row.Id, row.Name, row.Kind, row.Role, row.AgentName, row.ExpiresAt, row.LastUsedAt,
            time.GetUtcNow().UtcDateTime, row.SourceId)
        {
            Principal = TokenPrincipal.For(row.Id, row.Name, row.Kind, row.Role, row.AgentName, row.SourceId),
        };
        lock (_lock)
        {
            if (generation != _generation) return entry;
            if (_byHash.Count >= MaxEntries) _byHash.Clear();
            _byHash[hash] = entry;
        }

        return entry;
    }

    public void Touched(string hash, DateTime lastUsed)
    {
        if (_byHash.TryGetValue(hash, out var entry)) _byHash.TryUpdate(hash, entry with { LastUsedAt = lastUsed }, entry);
    }

    /// <summary>Forgets a token (revoked, or its secret replaced): the next request reads the database.</summary>
    public void Forget(Guid tokenId)
    {
        lock (_lock)
        {
            _generation++;
            foreach (var (hash, entry) in _byHash)
            {
                if (entry.Id == tokenId) _byHash.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>A validated token; <see cref="Principal"/> is the caller it stands for, shared by its requests.</summary>
    public sealed record CachedToken(Guid Id, string Name, TokenKind Kind, Role? Role, string? AgentName, DateTime? ExpiresAt,
        DateTime? LastUsedAt, DateTime CachedAt, Guid? SourceId = null)
    {
        public required TokenPrincipal Principal { get; init; }
    }
}
