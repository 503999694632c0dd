namespace Cutover.Core.Provisioning;

/// <summary>A provisioning spec (API.md "Provisioning runs"), read from JSON or YAML and checked field by field.</summary>
public sealed record ProvisioningSpec(string Name, IReadOnlyList<AgentSpec> Agents, int MaxConcurrent, OnFailure OnFailure, bool DryRun)
{
    public const int DefaultMaxConcurrent = 4;
    public const int MaxMaxConcurrent = 32;
    public const int MaxAgents = 200;
}
