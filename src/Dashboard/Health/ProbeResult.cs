namespace Cutover.Dashboard.Health;

/// <summary>The outcome of one <c>/healthz</c> probe; <see cref="Detail"/> says why it failed.</summary>
public sealed record ProbeResult(bool Success, string Detail)
{
    public static ProbeResult Ok(int status) => new(true, $"HTTP {status}");

    public static ProbeResult Failed(string detail) => new(false, detail);
}
