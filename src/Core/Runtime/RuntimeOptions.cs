namespace Cutover.Core.Runtime;

public sealed class RuntimeOptions
{
    public const string Section = "Cutover:Runtime";

    /// <summary>How long a started deployment may take to register before it is marked Failed and stopped.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a Pending deployment that no local runtime starts (an external runtime's pod) may wait for its
    /// registration before it is marked Failed. Null (the default): it may wait as long as it takes.
    /// </summary>
    public TimeSpan? RegistrationTimeout { get; set; }

    /// <summary>
    /// A non-production deployment this runtime runs is stopped once it has had no RPC (or, without any, been Ready)
    /// for this long. Null or zero: previews run until someone stops them.
    /// </summary>
    public TimeSpan? PreviewIdleStopAfter { get; set; } = TimeSpan.FromMinutes(30);
}
