namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Expands <c>{AppDir}</c> in configured commands: the folder the dashboard runs from (its build or publish output),
/// where the sample agent is shipped beside it (<c>sample-agent/</c>), so the same settings work from a clone and
/// from a published build.
/// </summary>
internal sealed class PathTokens(string appDir)
{
    public const string AppDirToken = "{AppDir}";

    public string AppDir { get; } = appDir;

    public static PathTokens Discover() => new(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    public string Expand(string text) => text.Replace(AppDirToken, AppDir, StringComparison.Ordinal);
}
