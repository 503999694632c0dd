namespace Cutover.SampleAgent;

/// <summary>The URL the agent is reachable at, known once Kestrel has bound its port.</summary>
public sealed class AgentAddress
{
    private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Url => _url.Task;

    public void Set(string url) => _url.TrySetResult(url);
}
