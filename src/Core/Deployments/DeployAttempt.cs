namespace Cutover.Core.Deployments;

/// <summary>What was observed about one attempt to run a deployment; <see cref="DeployInterpreter"/> judges it.</summary>
public sealed record DeployAttempt(
    DeployAttemptKind Kind,
    string? Detail = null,
    int? ExitCode = null,
    IReadOnlyList<string>? LastOutput = null);
