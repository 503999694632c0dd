using Cutover.Core.Domain;
using Cutover.Core.Results;

namespace Cutover.Core.Runtime;

/// <summary>No runtime configured: deployments are created Pending and started by something outside Cutover.</summary>
public sealed class DisabledRuntime : IDeploymentRuntime
{
    public bool IsEnabled => false;

    public IReadOnlyList<string> Images => [];

    public bool CanRun(DockerImage image) => false;

    public Task<Outcome<RuntimeInstance>> StartAsync(DeploymentLaunch launch, CancellationToken cancellationToken) =>
        Task.FromResult<Outcome<RuntimeInstance>>(Failure.Conflict("No deployment runtime is configured."));

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken) => Task.CompletedTask;

    public RuntimeState GetState(Guid deploymentId) => RuntimeState.Unknown;

    public RuntimeOutput GetOutput(Guid deploymentId) => RuntimeOutput.Empty;
}
