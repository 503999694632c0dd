namespace Cutover.Dashboard.Live;

/// <summary>
/// One typed change the dashboard seam hands a page (<see cref="IDashboardClient"/>): a view-model upsert or an
/// added event, never a field name in a string. Pages switch on the concrete type.
/// </summary>
public abstract record DashboardChange;
