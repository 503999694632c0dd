namespace Cutover.Core.Health;

/// <summary>How health is observed (<c>Cutover:Health</c>). Times are TimeSpans ("00:00:15").</summary>
public sealed class HealthOptions
{
    public const string Section = "Cutover:Health";

    /// <summary>How often every Ready, not deleted deployment's <c>/healthz</c> is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one probe may take, redirects included, before it counts as a failure.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed probes that make a deployment Unhealthy (one blip is not an outage).</summary>
    public int UnhealthyAfter { get; set; } = 3;

    /// <summary>With no report and no conclusive probe within this window, health becomes Unknown.</summary>
    public TimeSpan LivenessWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the liveness window is checked.</summary>
    public TimeSpan LivenessSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At most one "last seen" stamp per target in this period: a chatty agent reporting the same health many times
    /// a second costs memory look-ups, not database writes.
    /// </summary>
    public TimeSpan LastSeenThrottle { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Probes in flight at once, so a thousand deployments do not open a thousand sockets.</summary>
    public int MaxConcurrentProbes { get; set; } = 8;

    /// <summary>Turns the active probes off (reports and the liveness window still apply).</summary>
    public bool ProbesEnabled { get; set; } = true;

    /// <summary>Null when the options make sense together, else why not.</summary>
    public string? Validate()
    {
        if (ProbeInterval <= TimeSpan.Zero) return "Cutover:Health:ProbeInterval must be positive.";
        if (ProbeTimeout <= TimeSpan.Zero) return "Cutover:Health:ProbeTimeout must be positive.";
        if (UnhealthyAfter < 1) return "Cutover:Health:UnhealthyAfter must be at least 1.";
        if (MaxConcurrentProbes < 1) return "Cutover:Health:MaxConcurrentProbes must be at least 1.";
        if (LivenessSweepInterval <= TimeSpan.Zero) return "Cutover:Health:LivenessSweepInterval must be positive.";
        if (LastSeenThrottle < TimeSpan.Zero) return "Cutover:Health:LastSeenThrottle must not be negative.";
        // Probes are evidence only if they come more often than the window closes; otherwise every probed
        // deployment would flap to Unknown between two probes.
        if (ProbesEnabled && LivenessWindow <= ProbeInterval)
            return "Cutover:Health:LivenessWindow must be longer than ProbeInterval.";
        if (LivenessWindow <= TimeSpan.Zero) return "Cutover:Health:LivenessWindow must be positive.";
        return null;
    }
}
