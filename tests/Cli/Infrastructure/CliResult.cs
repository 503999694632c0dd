namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>What one run of the CLI ended with.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
