namespace Cutover.Dashboard.Sources;

/// <summary><c>POST /api/sources</c> body. The secrets are write-only.</summary>
public sealed record CreateSourceRequest(string? Name, string? RepoUrl, string? Branch, string? Path, string? PollInterval,
    string? WebhookSecret, string? AccessToken);

/// <summary><c>POST /api/sources/{id}/sync</c> and the generic webhook's body: no commit means the branch head.</summary>
public sealed record SyncRequest(string? Commit);

/// <summary><c>202</c> for a sync request: the sync that serves it (shared by triggers that coalesced).</summary>
public sealed record SyncAccepted(Guid SyncId);
