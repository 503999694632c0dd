using Cutover.Core.Sources;

namespace Cutover.Dashboard.Sources;

/// <summary>API.md <c>Source</c>; the secrets are never part of it (only whether each is set).</summary>
public sealed record SourceDto(
    Guid Id,
    string Name,
    string RepoUrl,
    string Branch,
    string Path,
    string PollInterval,
    SourceStatus Status,
    string? LastCommit,
    string? LastCommitMessage,
    string? LastCommitAuthor,
    DateTime? LastSyncedAt,
    string? LastError,
    IReadOnlyList<string> Agents,
    bool HasWebhookSecret,
    bool HasAccessToken)
{
    public static SourceDto From(SourceView s) => new(s.Id, s.Name, s.RepoUrl, s.Branch, s.Path,
        s.PollInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture), s.Status, s.LastCommit, s.LastCommitMessage,
        s.LastCommitAuthor, s.LastSyncedAt, s.LastError, s.Agents, s.HasWebhookSecret, s.HasAccessToken);
}
