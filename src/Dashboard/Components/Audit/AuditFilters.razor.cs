using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Microsoft.AspNetCore.Components;

namespace Cutover.Dashboard.Components.Audit;

public sealed partial class AuditFilters
{
    private static readonly IReadOnlyList<EventKind> Kinds = Enum.GetValues<EventKind>();

    [Parameter, EditorRequired]
    public AuditRequest Filter { get; set; } = new();

    /// <summary>The agent the page is pinned to (from <c>?agent=</c>), shown as a removable chip.</summary>
    [Parameter]
    public string? PinnedAgentName { get; set; }

    [Parameter]
    public EventCallback<AuditRequest> OnChange { get; set; }

    private Task ChangeAsync(AuditRequest next) => OnChange.InvokeAsync(next with { Skip = 0 });

    private static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    /// <summary>The picker hands back an unspecified kind; the filter compares with UTC timestamps.</summary>
    private static DateTime? Utc(DateTime? v) => v is { } d ? DateTime.SpecifyKind(d.Date, DateTimeKind.Utc) : null;

    /// <summary>"To" a day includes that whole day.</summary>
    private static DateTime? EndOfDay(DateTime? v) => Utc(v)?.AddDays(1).AddTicks(-1);
}
