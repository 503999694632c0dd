using Cutover.Core.Sources;

namespace Cutover.Dashboard.Sources;

/// <summary>One entry of <c>GET /api/sources/{id}/syncs</c>.</summary>
public sealed record SourceSyncDto(
    Guid Id,
    SyncTrigger Trigger,
    string? Commit,
    SourceStatus Status,
    DateTime StartedAt,
    DateTime? EndedAt,
    string? Error,
    IReadOnlyList<SyncAgentResult> Agents)
{
    public static SourceSyncDto From(SourceSync s) => new(s.Id, s.Trigger, s.Commit, s.Status, s.StartedAt, s.EndedAt, s.Error, s.Agents);
}
