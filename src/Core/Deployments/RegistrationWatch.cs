using Cutover.Core.Domain;
using Cutover.Core.Status;

namespace Cutover.Core.Deployments;

/// <summary>
/// Completes when a deployment registers. Subscribed before the process starts, so a fast agent cannot register
/// between "started" and "listening".
/// </summary>
internal sealed class RegistrationWatch : IDisposable
{
    private readonly StatusSubscription _subscription;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RegistrationWatch(StatusBus bus, Guid agentId, Guid deploymentId)
    {
        _subscription = bus.Subscribe(agentId);
        _ = ReadAsync(deploymentId);
    }

    public Task Registered => _registered.Task;

    public void Dispose() => _subscription.Dispose();

    private async Task ReadAsync(Guid deploymentId)
    {
        await foreach (var change in _subscription.Changes.ReadAllAsync().ConfigureAwait(false))
        {
            if (change.DeploymentId != deploymentId) continue;
            var ready = change.Field == StatusField.DeploymentStatus && change.To == nameof(DeploymentStatus.Ready);
            // A relaunch of a deployment that is already Ready registers without a status change.
            if (ready || change.Kind == EventKind.Registered)
            {
                _registered.TrySetResult();
                return;
            }
        }
    }
}
