namespace Cutover.Core.Status;

/// <summary>The names of the fields a <see cref="StatusChange"/> reports (the hub's <c>field</c>).</summary>
public static class StatusField
{
    public const string DeploymentCreated = "deployment";
    public const string DeploymentStatus = "deploymentStatus";
    public const string DeploymentHealth = "deploymentHealth";
    public const string DeploymentDeleted = "deleted";
    public const string DeploymentPurged = "purged";
    public const string Production = "production";
    public const string Health = "health";
    public const string Sync = "sync";
    public const string AcpUrl = "acpUrl";

    /// <summary>A guard began (<see cref="StatusChange.To"/> Watching) or ended (its verdict); the change's deployment is the guarded one.</summary>
    public const string Guard = "guard";

    /// <summary>The agent itself was created (<see cref="StatusChange.To"/> is its name).</summary>
    public const string Agent = "agent";

    /// <summary>The agent was soft-deleted (<see cref="StatusChange.To"/> is when).</summary>
    public const string AgentDeleted = "agentDeleted";
}
