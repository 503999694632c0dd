using System.Reflection;

namespace Cutover.Dashboard.Runtime;

/// <summary>Expands <c>{RepoRoot}</c> and <c>{Configuration}</c> in configured commands.</summary>
internal sealed class PathTokens(string? repoRoot, string configuration)
{
    public string? RepoRoot { get; } = repoRoot;

    public string Configuration { get; } = configuration;

    public static PathTokens Discover(string contentRoot) => new(
        FindRepoRoot(contentRoot) ?? FindRepoRoot(AppContext.BaseDirectory),
        typeof(PathTokens).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug");

    /// <summary>The expanded text, or null when it needs the repository and there is none (a published app).</summary>
    public string? Expand(string text)
    {
        if (text.Contains("{RepoRoot}", StringComparison.Ordinal))
        {
            if (RepoRoot is null) return null;
            text = text.Replace("{RepoRoot}", RepoRoot, StringComparison.Ordinal);
        }

        return text.Replace("{Configuration}", Configuration, StringComparison.Ordinal);
    }

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln"))) return dir.FullName;
        }

        return null;
    }
}
