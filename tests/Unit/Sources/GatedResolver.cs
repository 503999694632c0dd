using Cutover.Core.Results;
using Cutover.Core.Sources;

namespace Cutover.Tests.Unit.Sources;

/// <summary>The branch head, looked up only once the test opens the gate: holds a sync "running" for as long as needed.</summary>
internal sealed record GatedResolver(TaskCompletionSource Gate, TaskCompletionSource Entered) : CommitResolver
{
    public override async Task<Outcome<GitCommit>> ResolveAsync(GitCli git, Source source, string? accessToken, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Gate.Task.ConfigureAwait(false);
        return await new BranchHead().ResolveAsync(git, source, accessToken, cancellationToken).ConfigureAwait(false);
    }
}
