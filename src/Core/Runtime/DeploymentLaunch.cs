using Cutover.Core.Domain;

namespace Cutover.Core.Runtime;

/// <summary>What a runtime needs to start one deployment of an agent.</summary>
public sealed record DeploymentLaunch(Guid AgentId, string AgentName, Guid DeploymentId, DockerImage Image);
