using System.Reflection;

namespace Cutover.Tests.E2E.Infrastructure;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string DashboardProject => Path.Combine(Root, "src", "Dashboard");

    public static string DashboardDll => Path.Combine(DashboardProject, "bin", Configuration, "net10.0", "Cutover.Dashboard.dll");

    /// <summary>Screenshots go to artifacts/screenshots at the repository root (git-ignored); CUTOVER_SCREENSHOTS overrides.</summary>
    public static string Screenshots { get; } =
        Environment.GetEnvironmentVariable("CUTOVER_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(Root, "artifacts", "screenshots");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
