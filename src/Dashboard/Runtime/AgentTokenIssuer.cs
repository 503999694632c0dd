using System.Security.Cryptography;
using System.Text;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Agent tokens for the processes the local runtime starts: one per agent name, minted on first use. Only the hash
/// is stored (as for every token); the text lives in this object and in the child's environment, nowhere else.
/// Tokens minted by an earlier run of the dashboard are revoked when a new one is minted: their text is lost.
/// Minting and revoking go through <see cref="ApiTokens"/>, so they are audited like any other token.
/// </summary>
/// <remarks>
/// <see cref="GetAsync"/> takes the database write gate the first time per agent name. The gate is not re-entrant
/// and the status chokepoint's writer holds it while status changes run, so this must never be called from inside a
/// status change; its one caller, <see cref="LocalProcessRuntime.StartAsync"/>, runs between status writes.
/// </remarks>
public sealed class AgentTokenIssuer(ApiTokens apiTokens)
{
    public const string CreatedBy = "system:runtime";

    /// <summary>Why the audit trail shows the old token revoked.</summary>
    internal const string ReplacedReason = "Replaced by a new runtime token: the dashboard restarted and no longer has this one's text";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    private const string Prefix = "runtime:";

    /// <summary>
    /// The token's name: <c>runtime:{agent}</c>, or for an agent name too long to fit a token name, its start and a
    /// short hash of the whole name (still one name per agent, so an earlier run's token is found and replaced).
    /// </summary>
    public static string TokenName(string agentName)
    {
        var name = Prefix + agentName;
        if (name.Length <= ApiToken.NameMaxLength) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agentName)))[..12];
        return $"{name[..(ApiToken.NameMaxLength - hash.Length - 1)]}~{hash}";
    }

    public async Task<string> GetAsync(string agentName, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(agentName, out var known)) return known;

            var created = await apiTokens.ReplaceSystemAgentTokenAsync(TokenName(agentName), agentName, CreatedBy, ReplacedReason,
                cancellationToken).ConfigureAwait(false);
            _tokens[agentName] = created.Text;
            return created.Text;
        }
        finally
        {
            _lock.Release();
        }
    }
}
