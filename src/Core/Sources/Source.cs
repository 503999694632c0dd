namespace Cutover.Core.Sources;

/// <summary>
/// A git repository whose manifest declares agents and their images. The webhook secret and the access token are
/// stored only in their Data Protection form (<see cref="ISourceSecrets"/>) and never leave Cutover again. Status
/// fields change only through <see cref="SourceSyncService"/>'s bookkeeping.
/// </summary>
public sealed class Source
{
    public const int NameMaxLength = 100;
    public const int UrlMaxLength = 2048;
    public const int BranchMaxLength = 255;
    public const int PathMaxLength = 1024;
    public const int ErrorMaxLength = 2000;
    public const int CommitMaxLength = 64;

    private Source()
    {
        Name = string.Empty;
        RepoUrl = string.Empty;
        Branch = string.Empty;
        Path = string.Empty;
    }

    public Source(Guid id, string name, string repoUrl, string branch, string path, TimeSpan pollInterval,
        string? protectedWebhookSecret, string? protectedAccessToken, DateTime createdAt)
    {
        Id = id;
        Name = name;
        RepoUrl = repoUrl;
        Branch = branch;
        Path = path;
        PollInterval = pollInterval;
        ProtectedWebhookSecret = protectedWebhookSecret;
        ProtectedAccessToken = protectedAccessToken;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public string RepoUrl { get; private set; }

    public string Branch { get; private set; }

    /// <summary>The manifest's path inside the repository.</summary>
    public string Path { get; private set; }

    /// <summary>Zero: never polled (webhooks and manual syncs only).</summary>
    public TimeSpan PollInterval { get; private set; }

    public string? ProtectedWebhookSecret { get; private set; }

    public string? ProtectedAccessToken { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public SourceStatus Status { get; private set; }

    public string? LastCommit { get; private set; }

    public string? LastCommitMessage { get; private set; }

    public string? LastCommitAuthor { get; private set; }

    public DateTime? LastSyncedAt { get; private set; }

    public string? LastError { get; private set; }

    internal void MarkSyncing() => Status = SourceStatus.Syncing;

    internal void MarkSucceeded(GitCommit commit, DateTime at)
    {
        Status = SourceStatus.Succeeded;
        LastCommit = commit.Sha;
        LastCommitMessage = Truncate(commit.Subject, ErrorMaxLength);
        LastCommitAuthor = Truncate(commit.Author, NameMaxLength * 2);
        LastSyncedAt = at;
        // Written as null on purpose: a success clears the previous failure.
        LastError = null;
    }

    internal void MarkFailed(string error)
    {
        Status = SourceStatus.Failed;
        LastError = Truncate(error, ErrorMaxLength);
    }

    private static string? Truncate(string? s, int max) => s is { } v && v.Length > max ? v[..max] : s;
}
