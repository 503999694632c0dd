namespace Cutover.Core.Queries;

/// <summary>How many agents are in each state that needs attention; the overview's summary line.</summary>
public sealed record StatusCounts(int Total, int Healthy, int Unhealthy, int UnknownHealth, int OutOfSync, int Syncing);
