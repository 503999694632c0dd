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
        var tag = kind switch { TokenKind.Agent => "agt", TokenKind.Ci => "ci", _ => "pat" };
        return $"cut_{tag}_{Base64UrlEncode(bytes)}";
    }

    /// <summary>
    /// Runs on every bearer-authenticated request (and every rate-limited agent call), so an ordinary-length token
    /// is encoded and hashed on the stack (read from the header as a span, never copied to a string of its own): the
    /// hex string is the only allocation.
    /// </summary>
    public static string Hash(string token) => Hash(token.AsSpan());

    /// <inheritdoc cref="Hash(string)"/>
    public static string Hash(ReadOnlySpan<char> token)
    {
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : new byte[max];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }

    public static string Prefix(string token) => token.Length <= PrefixLength ? token : token[..PrefixLength];

    private static string Base64UrlEncode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
