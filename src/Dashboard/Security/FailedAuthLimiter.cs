using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Security;

/// <summary>
/// Counts failed bearer authentications (unknown, revoked or expired tokens) per remote address. Once an address
/// has used up its window (<c>Cutover:RateLimits:FailedAuthentication</c>), a token from it that is not already
/// known-good in <see cref="TokenCache"/> is refused with 429 before any database read, so guessing tokens is
/// throttled while callers with valid cached tokens on the same address keep working.
/// </summary>
public sealed class FailedAuthLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public FailedAuthLimiter(IOptions<RateLimitOptions> options)
    {
        var window = options.Value.FailedAuthentication;
        Window = window.Window > TimeSpan.Zero ? window.Window : TimeSpan.FromMinutes(1);
        var limit = Math.Max(1, window.PermitLimit);
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>How long a throttled address waits at most (the Retry-After of a refusal).</summary>
    public TimeSpan Window { get; }

    /// <summary>True when <paramref name="address"/> has no failed attempts left in this window.</summary>
    public bool IsThrottled(string address) => _failures.GetStatistics(address)?.CurrentAvailablePermits <= 0;

    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}
