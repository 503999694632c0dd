namespace Cutover.Dashboard.Api;

/// <summary>Optional body of stop and start: <c>{ reason? }</c>, recorded on the timeline (an extension of API.md).</summary>
public sealed class StopStartRequest
{
    public string? Reason { get; set; }
}
