using Cutover.Cli.Api;

namespace Cutover.Cli;

/// <summary>An expected failure of a command: printed as its message (title and detail), ending with its exit code.</summary>
public sealed class CliException(int exitCode, string message, ApiProblem? problem = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The server's problem details, when the failure is an API answer.</summary>
    public ApiProblem? Problem { get; } = problem;

    public static CliException From(ApiProblem problem, string? hint = null) =>
        new(problem.ExitCode, hint is null ? problem.Message : problem.Message + Environment.NewLine + hint, problem);
}
