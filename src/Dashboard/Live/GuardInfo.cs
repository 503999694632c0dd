using Cutover.Core.Guards;

namespace Cutover.Dashboard.Live;

/// <summary>An agent's latest guard with its evidence (null: none ever ran) and its default guard (null: none).</summary>
public sealed record GuardInfo(GuardView? Latest, GuardSettings? Default);
