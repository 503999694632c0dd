namespace Cutover.Cli.Live;

/// <summary>The hub's <c>StatusChanged</c> argument (API.md "Live status").</summary>
public sealed record StatusChangeView(Guid AgentId, Guid? DeploymentId, string Field, string? From, string? To, long Sequence, DateTime At);
