namespace Cutover.Dashboard.Security;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> for one caller.</summary>
public sealed class RateLimitWindow
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}
