namespace Cutover.Cli;

/// <summary>The process entry point: the real console, environment and config folder.</summary>
public static class EntryPoint
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliEnvironment.FromProcess(), CancellationToken.None);
}
