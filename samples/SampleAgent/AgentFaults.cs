namespace Cutover.SampleAgent;

/// <summary>
/// Faults switched on and off while the agent runs (the JSON-RPC method <c>agent/fault</c>), so a demo or a test can
/// make a running deployment go bad on demand: answer every other RPC with HTTP 500, or report itself Unhealthy.
/// </summary>
public sealed class AgentFaults
{
    private volatile bool _failRpc;
    private volatile bool _unhealthy;

    public bool FailRpc => _failRpc;

    public bool Unhealthy => _unhealthy;

    public void Set(bool? failRpc, bool? unhealthy)
    {
        if (failRpc is { } f) _failRpc = f;
        if (unhealthy is { } u) _unhealthy = u;
    }
}
