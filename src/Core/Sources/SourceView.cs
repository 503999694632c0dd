namespace Cutover.Core.Sources;

/// <summary>A source as it may be shown: never its secrets, only whether they are set.</summary>
public sealed record SourceView(
    Guid Id,
    string Name,
    string RepoUrl,
    string Branch,
    string Path,
    TimeSpan PollInterval,
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
    internal static SourceView From(Source s, IReadOnlyList<string> agents) => new(s.Id, s.Name, s.RepoUrl, s.Branch, s.Path,
        s.PollInterval, s.Status, s.LastCommit, s.LastCommitMessage, s.LastCommitAuthor, s.LastSyncedAt, s.LastError, agents,
        s.ProtectedWebhookSecret is not null, s.ProtectedAccessToken is not null);
}
