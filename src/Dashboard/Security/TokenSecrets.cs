using System.Security.Cryptography;
using System.Text;
using Cutover.Core.Domain;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Token text is <c>cut_pat_…</c> (personal) or <c>cut_agt_…</c> (agent) followed by 256 random bits in base64url.
/// Only the SHA-256 of the whole text is stored; a fast hash is right here because the secret has full entropy.
/// </summary>
public static class TokenSecrets
{
    public const int PrefixLength = 12;

    public static string NewToken(TokenKind kind)
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        var tag = kind == TokenKind.Agent ? "agt" : "pat";
        return $"cut_{tag}_{Base64UrlEncode(bytes)}";
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string Prefix(string token) => token.Length <= PrefixLength ? token : token[..PrefixLength];

    private static string Base64UrlEncode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
