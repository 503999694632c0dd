namespace Cutover.Cli.Api;

/// <summary>The fields of API.md's <c>Agent</c> the CLI shows (JSON output passes the whole object through).</summary>
public sealed record AgentView(Guid Id, string Name, string? Description, string? AcpUrl, Guid? ProductionDeploymentId,
    string Health, string Sync, DateTime? LastSeenAt, string? LastError, DateTime CreatedAt);
