namespace Cutover.Core.Health;

/// <summary>
/// What health is observed for: a deployment, or an agent itself when it is routed through a legacy URL and has no
/// production deployment (an agent with one takes its production deployment's health).
/// </summary>
public readonly record struct HealthTarget(Guid AgentId, Guid? DeploymentId)
{
    public static HealthTarget ForDeployment(Guid agentId, Guid deploymentId) => new(agentId, deploymentId);

    public static HealthTarget ForAgent(Guid agentId) => new(agentId, null);

    public override string ToString() => DeploymentId is { } d ? $"deployment {d} of agent {AgentId}" : $"agent {AgentId}";
}
