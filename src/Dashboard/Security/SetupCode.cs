using System.Security.Cryptography;
using System.Text;

namespace Cutover.Dashboard.Security;

/// <summary>
/// The one-time code that lets the first person create the first admin (no default password ever exists). It lives
/// only in this process's memory, as a hash compared in constant time, and is gone once used or on restart.
/// </summary>
public sealed class SetupCode
{
    private readonly Lock _lock = new();
    private byte[]? _hash;

    /// <summary>Makes a fresh code (replacing any earlier one) and returns its text, to be shown to the operator.</summary>
    public string Issue()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var code = Convert.ToHexStringLower(bytes);
        lock (_lock) _hash = Hash(code);
        return code;
    }

    public bool IsActive
    {
        get
        {
            lock (_lock) return _hash is not null;
        }
    }

    public bool Matches(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var candidate = Hash(code);
        lock (_lock) return _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, candidate);
    }

    /// <summary>Uses the code up: true for exactly one caller with the right code.</summary>
    public bool TryConsume(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var candidate = Hash(code);
        lock (_lock)
        {
            if (_hash is null || !CryptographicOperations.FixedTimeEquals(_hash, candidate)) return false;
            _hash = null;
            return true;
        }
    }

    /// <summary>Forgets the code (a user now exists, so setup is over).</summary>
    public void Revoke()
    {
        lock (_lock) _hash = null;
    }

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim()));
}
