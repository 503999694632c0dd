using Cutover.Core.Domain;
using Cutover.Core.Results;

namespace Cutover.Core.Runtime;

/// <summary>
/// Something that runs deployments: local processes today, containers later. It starts and stops processes and
/// reports what it sees; it never writes status itself (the deploy service interprets what it reports).
/// </summary>
public interface IDeploymentRuntime
{
    /// <summary>False when no runtime is configured: deployments are then started by something outside Cutover.</summary>
    bool IsEnabled { get; }

    /// <summary>The images this runtime knows how to run, in configuration order.</summary>
    IReadOnlyList<string> Images { get; }

    bool CanRun(DockerImage image);

    /// <summary>
    /// Starts (or restarts) the deployment. A failure result means the runtime could not start it (not configured,
    /// not built, stopping); an exception is an unexpected error. Either way nothing is left running.
    /// </summary>
    Task<Outcome<RuntimeInstance>> StartAsync(DeploymentLaunch launch, CancellationToken cancellationToken);

    /// <summary>Stops the deployment's process (and its children) on purpose; a no-op when none runs.</summary>
    Task StopAsync(Guid deploymentId, CancellationToken cancellationToken);

    RuntimeState GetState(Guid deploymentId);

    /// <summary>The last lines the deployment's process wrote (stdout and stderr interleaved), oldest first.</summary>
    RuntimeOutput GetOutput(Guid deploymentId);
}
