namespace Cutover.Core.Runtime;

/// <summary>
/// How a deployment process ended. <see cref="Requested"/> is true when Cutover stopped it on purpose (delete,
/// clean-up, shutdown): such an exit is not a failure of the agent.
/// </summary>
public sealed record RuntimeExit(int ExitCode, bool Requested, IReadOnlyList<string> LastOutput);
