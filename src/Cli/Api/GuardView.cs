namespace Cutover.Cli.Api;

/// <summary>API.md's guard (<c>GET /api/agents/{id}/guard</c>), the fields the CLI shows.</summary>
public sealed record GuardView(
    Guid Id,
    Guid DeploymentId,
    Guid? PreviousDeploymentId,
    DateTime StartedAt,
    DateTime EndsAt,
    string Status,
    GuardEvidenceView Evidence,
    string? Reason,
    GuardSettingsView? Settings,
    string? StartedBy,
    DateTime? EndedAt,
    Guid? RevertedToDeploymentId);

public sealed record GuardEvidenceView(long Requests, long Errors, double ErrorRate, string Health);

public sealed record GuardSettingsView(string Window, double MaxErrorRate, int MinRequests, bool RequireHealthy);
