namespace Cutover.Core.Domain;

/// <summary>
/// One versioned deployment of an agent. Status, production flag, health and soft-delete time change only
/// through <see cref="Status.StatusChokepoint"/>.
/// </summary>
public sealed class Deployment
{
    public const int MetadataMaxLength = 16 * 1024;

    private Deployment()
    {
        MetadataJson = "{}";
    }

    internal Deployment(Guid id, Guid agentId, DockerImage image, string metadataJson, DateTime createdAt)
    {
        Id = id;
        AgentId = agentId;
        DockerImage = image;
        MetadataJson = metadataJson;
        CreatedAt = createdAt;
        Status = DeploymentStatus.Pending;
    }

    public Guid Id { get; private set; }

    public Guid AgentId { get; private set; }

    public DockerImage DockerImage { get; private set; }

    /// <summary>Registration metadata as a JSON object (commit, branch, author, build time, anything else).</summary>
    public string MetadataJson { get; private set; }

    public DeploymentStatus Status { get; private set; }

    /// <summary>Why the deployment failed or was stopped, or what a Pending one waits for.</summary>
    public string? StatusDetail { get; private set; }

    /// <summary>When <see cref="Status"/> last changed (null: not since it was created); a Ready one's ready time.</summary>
    public DateTime? StatusChangedAt { get; private set; }

    public string? AcpUrl { get; private set; }

    public bool IsProduction { get; private set; }

    public HealthStatus Health { get; private set; }

    public DateTime? LastHealthAt { get; private set; }

    /// <summary>
    /// The last RPC any node forwarded to it, as last stamped (every node stamps its own calls now and then): the idle
    /// clock of previews on several nodes. Not a status field; written by <see cref="Deployments.RpcStamps"/>.
    /// </summary>
    public DateTime? LastRpcAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? PromotedAt { get; private set; }

    public string? PromotedBy { get; private set; }

    /// <summary>Soft delete: set when deleted, to the time the retention job purges the row.</summary>
    public DateTime? ExpiresAt { get; private set; }

    public bool IsDeleted => ExpiresAt is not null;

    public DeploymentMetadata Metadata => DeploymentMetadata.Parse(MetadataJson);

    internal void WriteStatus(DeploymentStatus status, string? detail, DateTime at)
    {
        Status = status;
        StatusChangedAt = at;
        StatusDetail = detail is { Length: > Agent.ErrorMaxLength } ? detail[..Agent.ErrorMaxLength] : detail;
    }

    internal void WriteProduction(bool isProduction, DateTime at, string actor)
    {
        IsProduction = isProduction;
        if (isProduction)
        {
            PromotedAt = at;
            PromotedBy = actor;
        }
    }

    internal void WriteHealth(HealthStatus health, DateTime at)
    {
        Health = health;
        LastHealthAt = at;
    }

    internal void WriteDeleted(DateTime expiresAt) => ExpiresAt = expiresAt;

    internal void SetAcpUrl(string? url) => AcpUrl = url;

    /// <summary>What a Pending deployment is waiting for (shown as its status detail until it is Ready or Failed).</summary>
    internal void SetPendingReason(string reason)
    {
        if (Status == DeploymentStatus.Pending) StatusDetail = reason;
    }

    internal void SetMetadata(string json) => MetadataJson = json;

    internal void Observed(DateTime at) => LastHealthAt = at;
}
