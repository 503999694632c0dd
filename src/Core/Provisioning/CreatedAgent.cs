namespace Cutover.Core.Provisioning;

/// <summary>The ids a create step committed together with its ledger row.</summary>
public sealed record CreatedAgent(Guid AgentId, Guid DeploymentId);
