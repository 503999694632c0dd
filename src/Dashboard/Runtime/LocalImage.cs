namespace Cutover.Dashboard.Runtime;

/// <summary>
/// How to run one image as a local process. <c>{RepoRoot}</c> and <c>{Configuration}</c> in arguments and values are
/// replaced with the repository's folder and the dashboard's build configuration, so a fresh clone works.
/// </summary>
public sealed class LocalImage
{
    public string Command { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    public string? WorkingDirectory { get; set; }
}
