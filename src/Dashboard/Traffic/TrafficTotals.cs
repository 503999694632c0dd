namespace Cutover.Dashboard.Traffic;

/// <summary>A deployment's running totals (see <see cref="TrafficFigures.Totals"/>); <see cref="Counter"/> null: never counted.</summary>
public readonly record struct TrafficTotals(object? Counter, long Requests, long Errors);
