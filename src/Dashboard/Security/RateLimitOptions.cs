namespace Cutover.Dashboard.Security;

/// <summary>
/// <c>Cutover:RateLimits</c>: fixed windows per partition (remote address for sign-in; the bearer token's hash,
/// else the remote address, for agent calls). Defaults leave room for the sample agent, which reports health every
/// few seconds from each of its deployments, while a burst (a script guessing passwords, a runaway agent) trips them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Cutover:RateLimits";

    public RateLimitWindow SignIn { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    public RateLimitWindow Registration { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    public RateLimitWindow HealthReport { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Failed bearer authentications per remote address (see <see cref="FailedAuthLimiter"/>).</summary>
    public RateLimitWindow FailedAuthentication { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };
}
