namespace Cutover.Core.Deployments;

/// <summary>Everything that can come of starting a deployment: success, failure, error, or no result at all.</summary>
public enum DeployAttemptKind
{
    /// <summary>Success: the agent registered the deployment (the registration path made it Ready).</summary>
    Registered,

    /// <summary>Failure: the runtime refused to start it (not configured, not built, stopping).</summary>
    StartRefused,

    /// <summary>Error: starting threw something nobody expected.</summary>
    StartThrew,

    /// <summary>Failure: the process ended before it registered.</summary>
    ExitedBeforeReady,

    /// <summary>No result: no registration within the ready timeout.</summary>
    TimedOut,

    /// <summary>Cutover stopped it on purpose (delete, clean-up, shutdown) before it registered.</summary>
    StoppedBeforeReady,

    /// <summary>A Ready deployment's process died.</summary>
    ExitedAfterReady,
}
