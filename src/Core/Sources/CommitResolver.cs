using Cutover.Core.Results;

namespace Cutover.Core.Sources;

/// <summary>
/// Where a sync's commit comes from, the only thing in which triggers differ: <see cref="StaticCommit"/> (a push
/// webhook, a CI call or a generic webhook carry the SHA) or <see cref="BranchHead"/> (polling, the Sync button and
/// API, a generic webhook without one).
/// </summary>
public abstract record CommitResolver
{
    public abstract Task<Outcome<GitCommit>> ResolveAsync(GitCli git, Source source, string? accessToken, CancellationToken cancellationToken);

    public static CommitResolver For(string? commit) => string.IsNullOrEmpty(commit) ? new BranchHead() : new StaticCommit(commit);
}

/// <summary>The commit a trigger carried.</summary>
public sealed record StaticCommit(string Sha) : CommitResolver
{
    public override Task<Outcome<GitCommit>> ResolveAsync(GitCli git, Source source, string? accessToken, CancellationToken cancellationToken) =>
        git.ResolveAsync(source, accessToken, Sha, cancellationToken);
}

/// <summary>The newest commit of the source's branch, looked up when the sync runs.</summary>
public sealed record BranchHead : CommitResolver
{
    public override Task<Outcome<GitCommit>> ResolveAsync(GitCli git, Source source, string? accessToken, CancellationToken cancellationToken) =>
        git.ResolveAsync(source, accessToken, null, cancellationToken);
}
