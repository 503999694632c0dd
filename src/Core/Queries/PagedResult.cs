namespace Cutover.Core.Queries;

/// <summary>One page of a server-side paged list and the total number of matches (for the pager).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total);
