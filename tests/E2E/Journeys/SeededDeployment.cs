namespace Cutover.Tests.E2E.Journeys;

public sealed record SeededDeployment(Guid Id, string Image, string Commit, string Branch, string Author)
{
    public string ShortCommit => Commit[..7];
}
