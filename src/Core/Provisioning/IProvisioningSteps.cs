using Cutover.Core.Domain;
using Cutover.Core.Results;

namespace Cutover.Core.Provisioning;

/// <summary>
/// The steps a run takes per agent. The seam exists so tests can inject a fault at every step (throw, hang, die
/// between steps); <see cref="ProvisioningSteps"/> is the only production implementation.
/// </summary>
public interface IProvisioningSteps
{
    /// <summary>True when the runtime can wake agents of this image (anything else is an unknown image).</summary>
    bool CanWake(DockerImage image);

    /// <summary>Creates the agent and its deployment and sets the ledger row Created, in one transaction.</summary>
    Task<Outcome<CreatedAgent>> CreateAsync(Guid runId, Guid entryId, string actor, CancellationToken cancellationToken);

    /// <summary>Starts the deployment on the runtime and waits for its verdict: null when it registered Ready, else why not.</summary>
    Task<string?> WakeAsync(CreatedAgent agent, string actor, CancellationToken cancellationToken);

    /// <summary>Stops every process of the agent and soft-deletes it and its deployments; idempotent.</summary>
    Task TearDownAsync(Guid agentId, string actor, CancellationToken cancellationToken);

    /// <summary>Stops one deployment's process, if it runs (a wake given up on).</summary>
    Task StopAsync(Guid deploymentId, CancellationToken cancellationToken);
}
