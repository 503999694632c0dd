namespace Cutover.Cli.Api;

/// <summary>The fields of API.md's <c>Source</c> the CLI shows (JSON output passes the whole object through).</summary>
public sealed record SourceView(Guid Id, string Name, string RepoUrl, string Branch, string Path, string PollInterval, string Status,
    string? LastCommit, string? LastCommitMessage, DateTime? LastSyncedAt, string? LastError, List<string> Agents);
