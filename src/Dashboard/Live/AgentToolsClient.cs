using Cutover.Core.Runtime;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Live;

/// <summary>The operator tools' seam over the in-process RPC client and the deployment runtime.</summary>
public sealed class AgentToolsClient(RpcClient rpc, IDeploymentRuntime runtime) : IAgentToolsClient
{
    public Task<RpcReply> SendRpcAsync(Guid agentId, Guid? deploymentId, string json, CancellationToken cancellationToken) =>
        rpc.SendAsync(agentId, deploymentId, json, cancellationToken);

    public DeploymentProcess GetProcess(Guid deploymentId) => new(runtime.GetOutput(deploymentId), runtime.GetState(deploymentId));
}
