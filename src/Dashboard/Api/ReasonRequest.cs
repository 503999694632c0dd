namespace Cutover.Dashboard.Api;

/// <summary>Body of promote: <c>{ reason? }</c>.</summary>
public sealed class ReasonRequest
{
    public string? Reason { get; set; }
}
