namespace Cutover.Cli.Api;

/// <summary>The fields of API.md's <c>Agent</c> the CLI shows (JSON output passes the whole object through).</summary>
public sealed record AgentView(Guid Id, string Name, string? Description, string? AcpUrl, Guid? ProductionDeploymentId,
    string Health, string Sync, DateTime? LastSeenAt, string? LastError, DateTime CreatedAt);

/// <summary>The fields of API.md's <c>Deployment</c> the CLI shows.</summary>
public sealed record DeploymentView(Guid Id, Guid AgentId, string DockerImage, string Status, string? StatusDetail, string? AcpUrl,
    bool IsProduction, string Health, DateTime CreatedAt, DateTime? PromotedAt, DateTime? ExpiresAt);

public sealed record AgentPage(List<System.Text.Json.JsonElement> Items, int Total);

/// <summary><c>GET /api/me</c>.</summary>
public sealed record Caller(string Name, string Kind, string? Role, string Actor);

/// <summary><c>GET /api/agents/{id}/deployments/{deploymentId}/output</c>.</summary>
public sealed record DeploymentOutput(List<string> Lines, long Total, string Status, int? ProcessId, int? ExitCode);
