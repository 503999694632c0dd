namespace Cutover.Core.Provisioning;

/// <summary>What applying a spec gave: the run (or a dry run's plan), or every problem that kept it from starting.</summary>
public sealed record StartResult(RunView? Run, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsSuccess => Run is not null;
}
