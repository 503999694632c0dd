using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Cutover.Dashboard.Security;

/// <summary>
/// The open hub connections and who opened them, so that revoking a token, deleting a user or signing out ends the
/// connections opened with it at once (API.md, Live status) instead of letting them receive changes until they
/// drop. The hub registers each connection on connect and removes it on disconnect.
/// </summary>
public sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, (Guid? TokenId, Guid? UserId, HubCallerContext Context)> _open = new(StringComparer.Ordinal);

    public void Opened(HubCallerContext context)
    {
        var user = context.User ?? new ClaimsPrincipal();
        _open[context.ConnectionId] = (IdOf(user, CutoverClaims.TokenId), IdOf(user, CutoverClaims.UserId), context);
    }

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>Ends every connection opened with token <paramref name="tokenId"/>. Returns how many.</summary>
    public int EndToken(Guid tokenId) => End(c => c.TokenId == tokenId);

    /// <summary>Ends every connection of user <paramref name="userId"/> (deleted, or signed out). Returns how many.</summary>
    public int EndUser(Guid userId) => End(c => c.UserId == userId);

    private int End(Func<(Guid? TokenId, Guid? UserId, HubCallerContext Context), bool> match)
    {
        var ended = 0;
        foreach (var (id, c) in _open)
        {
            if (!match(c)) continue;
            c.Context.Abort();
            _open.TryRemove(id, out _);
            ended++;
        }

        return ended;
    }

    private static Guid? IdOf(ClaimsPrincipal user, string claim) =>
        Guid.TryParse(user.FindFirst(claim)?.Value, out var id) ? id : null;
}
