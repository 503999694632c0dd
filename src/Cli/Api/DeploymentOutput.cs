namespace Cutover.Cli.Api;

/// <summary><c>GET /api/agents/{id}/deployments/{deploymentId}/output</c>.</summary>
public sealed record DeploymentOutput(List<string> Lines, long Total, string Status, int? ProcessId, int? ExitCode);
