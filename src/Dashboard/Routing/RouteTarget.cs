namespace Cutover.Dashboard.Routing;

/// <summary>
/// Where one RPC goes: a deployment's URL, or the agent's legacy URL when <see cref="DeploymentId"/> is null.
/// </summary>
public sealed record RouteTarget(Guid AgentId, Guid? DeploymentId, Uri Url)
{
    public const string Legacy = "legacy";

    /// <summary>What the <c>X-Cutover-Deployment</c> header says: the deployment id, or <c>legacy</c>.</summary>
    public string ServedBy { get; } = DeploymentId?.ToString() ?? Legacy;

    /// <summary>The agent id as text, for the RPC metrics' agent label: formatted once per cached route, not per call.</summary>
    public string AgentLabel { get; } = AgentId.ToString();
}
