using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Live;

/// <summary>
/// The operator tools' seam, a sibling of <see cref="IDashboardClient"/>: Try it's call through Cutover's route, and
/// what the runtime knows of a deployment's process. Callers authorize first (<see cref="Security.ActionGuard"/>).
/// </summary>
public interface IAgentToolsClient
{
    /// <summary>One JSON-RPC request to production (no deployment) or to a deployment's preview route.</summary>
    Task<RpcReply> SendRpcAsync(Guid agentId, Guid? deploymentId, string json, CancellationToken cancellationToken);

    /// <summary>The output and state of the deployment's process under this dashboard's runtime.</summary>
    DeploymentProcess GetProcess(Guid deploymentId);
}
