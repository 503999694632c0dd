namespace Cutover.Dashboard.Runtime;

/// <summary>
/// How to run one image as a local process. <c>{AppDir}</c> in the command, arguments, values and working directory is
/// replaced with the dashboard's own folder (see <see cref="PathTokens"/>); the working directory defaults to it.
/// </summary>
public sealed class LocalImage
{
    public string Command { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    public string? WorkingDirectory { get; set; }
}
