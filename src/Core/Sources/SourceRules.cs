using System.Globalization;
using System.Text.RegularExpressions;
using Cutover.Core.Results;

namespace Cutover.Core.Sources;

/// <summary>The one place for what a source's fields may be; each failure names its field.</summary>
public static partial class SourceRules
{
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A local absolute path, <c>file://</c>, <c>http(s)://</c> or <c>git://</c>. Credentials go in the access token,
    /// never in the URL (it is shown and logged); an argument-like or ssh URL is refused.
    /// </summary>
    public static Failure? RepoUrl(string? url)
    {
        const string field = "repoUrl";
        if (string.IsNullOrWhiteSpace(url)) return Failure.Invalid(field, "'repoUrl' is required.");
        if (url.Length > Source.UrlMaxLength) return Failure.Invalid(field, $"'repoUrl' must be at most {Source.UrlMaxLength} characters.");
        if (url.Any(char.IsControl) || url.StartsWith('-')) return Failure.Invalid(field, "'repoUrl' is not a repository URL.");
        if (Path.IsPathFullyQualified(url) && !url.Contains("://", StringComparison.Ordinal)) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("file" or "http" or "https" or "git"))
            return Failure.Invalid(field, "'repoUrl' must be an absolute local path or a file://, http://, https:// or git:// URL.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return Failure.Invalid(field, "'repoUrl' must not contain credentials; use 'accessToken'.");
        return null;
    }

    public static Failure? Branch(string branch)
    {
        const string field = "branch";
        if (branch.Length is 0 or > Source.BranchMaxLength || !BranchPattern().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal)
            || branch.EndsWith(".lock", StringComparison.Ordinal) || branch.EndsWith('/') || branch.Contains("//", StringComparison.Ordinal))
            return Failure.Invalid(field, "'branch' must be a branch name (letters, digits, '.', '_', '-' and '/').");
        return null;
    }

    /// <summary>A relative path inside the repository, without '..' segments.</summary>
    public static Failure? ManifestPath(string path)
    {
        const string field = "path";
        if (path.Length is 0 or > Source.PathMaxLength || path.StartsWith('/') || path.Contains('\\') || path.Any(char.IsControl)
            || path.Split('/').Any(s => s is "" or "." or ".."))
            return Failure.Invalid(field, "'path' must be a relative path inside the repository, like 'cutover.yaml' or 'deploy/cutover.yaml'.");
        return null;
    }

    public static Failure? PollInterval(string? text, out TimeSpan interval)
    {
        interval = TimeSpan.FromMinutes(1);
        if (string.IsNullOrEmpty(text)) return null;
        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out interval) || (interval != TimeSpan.Zero && interval < MinPollInterval))
            return Failure.Invalid("pollInterval", $"'pollInterval' must be a duration like \"00:01:00\", at least {MinPollInterval.TotalSeconds:0} s (or \"00:00:00\": never poll).");
        return null;
    }

    /// <summary>A commit id: 4 to 64 hexadecimal digits.</summary>
    public static Failure? Commit(string? commit, string field = "commit") =>
        commit is null || CommitPattern().IsMatch(commit) ? null : Failure.Invalid(field, $"'{field}' must be a commit id (4 to 64 hexadecimal digits).");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]*\z")]
    private static partial Regex BranchPattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{4,64}\z")]
    private static partial Regex CommitPattern();
}
