namespace Cutover.Cli.Api;

/// <summary>The fields of API.md's <c>Deployment</c> the CLI shows.</summary>
public sealed record DeploymentView(Guid Id, Guid AgentId, string DockerImage, string Status, string? StatusDetail, string? AcpUrl,
    bool IsProduction, string Health, DateTime CreatedAt, DateTime? PromotedAt, DateTime? ExpiresAt);
