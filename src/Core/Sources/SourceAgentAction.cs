namespace Cutover.Core.Sources;

/// <summary>What one sync did for one declared agent.</summary>
public enum SourceAgentAction
{
    /// <summary>The agent did not exist: it was created and its declared image deployed.</summary>
    Created,

    /// <summary>No live deployment ran the declared image: one was created and started.</summary>
    Deployed,

    /// <summary>With <c>promote: auto</c>, the new deployment became production once Ready.</summary>
    Promoted,

    /// <summary>The declared image already runs: the agent was only marked Synced.</summary>
    NoOp,

    Failed,

    /// <summary>The agent is no longer in the manifest: marked OutOfSync and left running.</summary>
    Undeclared,
}
