using System.Reflection;

namespace Cutover.Tests.Unit.Runtime;

internal static class SampleAgentPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(SampleAgentPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Dll => Path.Combine(RepoRoot, "samples", "SampleAgent", "bin", Configuration, "net10.0", "Cutover.SampleAgent.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
