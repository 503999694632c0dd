namespace Cutover.Core.Sources;

/// <summary>A manifest's guard for an automatic promotion (see API.md "Guarded promotion").</summary>
public sealed record DeclaredGuard(TimeSpan Window, double? MaxErrorRate, int? MinRequests, bool? RequireHealthy);
