namespace Cutover.Tests.E2E.Journeys;

public sealed record SeededDeployment(Guid Id, string Image, string Commit, string Branch, string Author)
{
    public string ShortCommit => Commit[..7];

    /// <summary>How the dashboard names it: last image path segment with tag, and the short commit.</summary>
    public string ShortImage => Image[(Image.LastIndexOf('/') + 1)..];

    public string Label => $"{ShortImage} ({ShortCommit})";
}
