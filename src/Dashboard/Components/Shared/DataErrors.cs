namespace Cutover.Dashboard.Components.Shared;

/// <summary>
/// The failures of a database read or write that a page shows as "could not load" instead of ending the circuit:
/// the database is unreachable or broken, or the context was used after the page went away.
/// </summary>
public static class DataErrors
{
    public static bool Is(Exception e) =>
        e is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException;
}
