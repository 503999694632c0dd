namespace Cutover.SampleAgent;

/// <summary>The agent's own view of its health: always healthy, forced unhealthy (by setting or by agent/fault), or flapping on a period.</summary>
public sealed class AgentHealth(AgentSettings settings, AgentFaults faults, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public bool IsHealthy
    {
        get
        {
            if (settings.Unhealthy || faults.Unhealthy) return false;
            if (settings.FlapSeconds is not { } period) return true;
            // Healthy for the first period, unhealthy for the next, and so on.
            return (long)(time.GetElapsedTime(_started).TotalSeconds / period) % 2 == 0;
        }
    }

    /// <summary>How long until a flapping agent's health next changes (null when it never does).</summary>
    public TimeSpan? UntilNextChange
    {
        get
        {
            if (settings.Unhealthy || settings.FlapSeconds is not { } period) return null;
            var elapsed = time.GetElapsedTime(_started).TotalSeconds;
            var next = (Math.Floor(elapsed / period) + 1) * period;
            return TimeSpan.FromSeconds(next - elapsed);
        }
    }
}
