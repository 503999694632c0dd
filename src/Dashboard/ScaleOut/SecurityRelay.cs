using System.Text.Json;
using Cutover.Core.Persistence;
using Cutover.Dashboard.Security;
using Microsoft.EntityFrameworkCore;

namespace Cutover.Dashboard.ScaleOut;

/// <summary>
/// Security state that lives in each node's memory (cached tokens, open hub connections) and must end on every node
/// when it ends on one: a revoked token, a deleted or signed-out user. The node that made the change ends its own at
/// once and announces it after the commit; the others end theirs when they hear it (the scale-out relay's lag), not
/// when their token cache expires. On one node (SQLite) there is nobody to tell.
/// </summary>
public sealed partial class SecurityRelay(
    IDbContextFactory<CutoverDbContext> dbFactory,
    NodeIdentity node,
    TokenCache tokens,
    HubConnections connections,
    ILogger<SecurityRelay> logger)
{
    public const string Channel = "cutover_security";
    private const string Token = "token";
    private const string User = "user";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>True when other nodes may share this database (PostgreSQL).</summary>
    public bool Enabled { get; internal set; }

    public Task TokenRevokedAsync(Guid tokenId, CancellationToken cancellationToken) => AnnounceAsync(Token, tokenId, cancellationToken);

    public Task UserSessionsEndedAsync(Guid userId, CancellationToken cancellationToken) => AnnounceAsync(User, userId, cancellationToken);

    internal void Receive(string payload)
    {
        Announcement? a;
        try
        {
            a = JsonSerializer.Deserialize<Announcement>(payload, Json);
        }
        catch (JsonException)
        {
            a = null;
        }

        if (a is null || a.Node == node.Id) return;
        switch (a.Kind)
        {
            case Token:
                tokens.Forget(a.Id);
                connections.EndToken(a.Id);
                break;
            case User:
                connections.EndUser(a.Id);
                break;
        }
    }

    private async Task AnnounceAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        var payload = JsonSerializer.Serialize(new Announcement(node.Id, kind, id), Json);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change itself committed; other nodes then catch up when their cached copy expires (TokenCache.TimeToLive).
            LogNotAnnounced(e, kind, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes that {Kind} {Id} ended; they follow within the token cache's lifetime")]
    private partial void LogNotAnnounced(Exception exception, string kind, Guid id);

    private sealed record Announcement(Guid Node, string Kind, Guid Id);
}
