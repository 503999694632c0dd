using Cutover.Core.Deployments;
using Cutover.Core.Domain;
using Cutover.Core.Results;
using Cutover.Core.Status;

namespace Cutover.Core.Provisioning;

/// <summary>
/// The production steps: create through the chokepoint (agent, deployment and ledger row in one transaction), wake
/// through the deploy service (the runtime seam, settled by the one deploy interpreter), tear down through the one
/// agent deletion.
/// </summary>
public sealed class ProvisioningSteps(StatusChokepoint chokepoint, DeploymentLauncher deploys, AgentDeletion deletion) : IProvisioningSteps
{
    public const string WaitingForWake = "waiting for its provisioning run to wake it";

    public bool CanWake(DockerImage image) => deploys.Runs(image);

    public Task<Outcome<CreatedAgent>> CreateAsync(Guid runId, Guid entryId, string actor, CancellationToken cancellationToken) =>
        chokepoint.UpdateRunAsync<CreatedAgent>(runId, actor, "Created by a provisioning run", async (t, ct) =>
        {
            var entry = await t.FindEntryAsync(entryId, ct).ConfigureAwait(false);
            if (entry is null) return Failure.NotFound($"The run has no ledger row {entryId}.");
            if (entry.Step != LedgerStep.Pending) return Failure.Conflict($"'{entry.AgentName}' is already {entry.Step}.");
            if (t.Run.Status != RunStatus.Running) return Failure.Conflict($"The run is {t.Run.Status}; nothing more is created.");

            var created = await t.CreateAgentAsync(entry.AgentName, entry.Description, ct).ConfigureAwait(false);
            if (!created.IsSuccess) return created.Failure!;
            var agent = created.Value!;
            var d = agent.CreateDeployment(Guid.CreateVersion7(), DockerImage.Parse(entry.Image), entry.MetadataJson);
            d.SetPendingReason(WaitingForWake);
            if (t.SetStep(entry, LedgerStep.Created, null, agent.Agent.Id, d.Id) is { } failure) return failure;
            return new CreatedAgent(agent.Agent.Id, d.Id);
        }, cancellationToken);

    public async Task<string?> WakeAsync(CreatedAgent agent, string actor, CancellationToken cancellationToken)
    {
        var launched = await deploys.RelaunchAsync(agent.AgentId, agent.DeploymentId, actor, cancellationToken).ConfigureAwait(false);
        if (!launched.IsSuccess) return launched.Failure!.Detail;
        var settled = deploys.WaitForSettledAsync(agent.DeploymentId, cancellationToken);
        if (settled is null) return "The deploy was not started here, so its outcome cannot be awaited.";
        var verdict = await settled.ConfigureAwait(false);
        return verdict.Succeeded ? null : verdict.Reason;
    }

    public async Task TearDownAsync(Guid agentId, string actor, CancellationToken cancellationToken)
    {
        var deleted = await deletion.DeleteAsync(agentId, "Torn down with its provisioning run", actor, cancellationToken).ConfigureAwait(false);
        // An agent that no longer exists has nothing left to tear down.
        if (!deleted.IsSuccess && deleted.Failure!.Kind != FailureKind.NotFound)
            throw new InvalidOperationException(deleted.Failure.Detail);
    }

    public Task StopAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        deploys.Runtime.StopAsync(deploymentId, cancellationToken);
}
