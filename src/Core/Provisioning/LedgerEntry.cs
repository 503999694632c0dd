namespace Cutover.Core.Provisioning;

/// <summary>
/// One agent of a run. Written Pending with the run, then set Created with the agent's and deployment's ids in the
/// same transaction that creates them, so no created agent is ever missing from it. Changes only through
/// <see cref="RunTransaction"/>.
/// </summary>
public sealed class LedgerEntry
{
    private LedgerEntry()
    {
        AgentName = string.Empty;
        Image = string.Empty;
        MetadataJson = "{}";
    }

    internal LedgerEntry(Guid id, Guid runId, int position, string agentName, string image, string? description, string metadataJson,
        DateTime at)
    {
        Id = id;
        RunId = runId;
        Position = position;
        AgentName = agentName;
        Image = image;
        Description = description;
        MetadataJson = metadataJson;
        Step = LedgerStep.Pending;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid RunId { get; private set; }

    /// <summary>The agent's place in the spec.</summary>
    public int Position { get; private set; }

    public string AgentName { get; private set; }

    public string Image { get; private set; }

    public string? Description { get; private set; }

    public string MetadataJson { get; private set; }

    public Guid? AgentId { get; private set; }

    public Guid? DeploymentId { get; private set; }

    public LedgerStep Step { get; private set; }

    public string? Error { get; private set; }

    /// <summary>When the step (or its error) last changed.</summary>
    public DateTime At { get; private set; }

    internal void WriteStep(LedgerStep step, string? error, DateTime at)
    {
        Step = step;
        Error = error is { Length: > ProvisioningRun.ErrorMaxLength } ? error[..ProvisioningRun.ErrorMaxLength] : error;
        At = at;
    }

    internal void WriteCreated(Guid agentId, Guid deploymentId)
    {
        AgentId = agentId;
        DeploymentId = deploymentId;
    }
}
