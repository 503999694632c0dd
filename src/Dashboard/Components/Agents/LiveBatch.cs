using Cutover.Core.Status;

namespace Cutover.Dashboard.Components.Agents;

/// <summary>Changes that arrived within one batching window; <see cref="Gap"/> means some were lost: reload.</summary>
public sealed record LiveBatch(IReadOnlyList<StatusChange> Changes, bool Gap);
