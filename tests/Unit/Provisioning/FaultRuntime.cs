using System.Collections.Concurrent;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Runtime;
using Cutover.Tests.Unit.Runtime;

namespace Cutover.Tests.Unit.Provisioning;

/// <summary>
/// The fake runtime (register, exit, hang, refuse, throw per image) with one more fault: a stop that throws, for a
/// teardown that fails half way. Everything else goes to <see cref="FakeRuntime"/>.
/// </summary>
internal sealed class FaultRuntime(FakeRuntime inner) : IDeploymentRuntime
{
    /// <summary>Deployments whose next stop throws (each once).</summary>
    public ConcurrentDictionary<Guid, byte> FailNextStop { get; } = new();

    public ConcurrentDictionary<Guid, byte> Started { get; } = new();

    public FakeRuntime Inner => inner;

    public bool IsEnabled => inner.IsEnabled;

    public IReadOnlyList<string> Images => inner.Images;

    public bool CanRun(DockerImage image) => inner.CanRun(image);

    public async Task<Outcome<RuntimeInstance>> StartAsync(DeploymentLaunch launch, CancellationToken cancellationToken)
    {
        Started[launch.DeploymentId] = 0;
        return await inner.StartAsync(launch, cancellationToken);
    }

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        if (FailNextStop.TryRemove(deploymentId, out _)) throw new TimeoutException("the runtime did not answer the stop (injected)");
        return inner.StopAsync(deploymentId, cancellationToken);
    }

    public RuntimeState GetState(Guid deploymentId) => inner.GetState(deploymentId);

    public RuntimeOutput GetOutput(Guid deploymentId) => inner.GetOutput(deploymentId);

    /// <summary>Deployments whose process runs now.</summary>
    public IReadOnlyList<Guid> Running() => Started.Keys.Where(id => inner.GetState(id).Status == RuntimeStatus.Running).ToList();
}
