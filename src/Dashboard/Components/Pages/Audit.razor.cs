using Cutover.Core.Domain;
using Cutover.Core.Queries;
using Cutover.Dashboard.Components.Shared;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Cutover.Dashboard.Components.Pages;

/// <summary>
/// The audit trail: every event, filtered and paged on the server. It is live for agent events: a batch of new
/// events reloads the first page in place (as a feed would) and, on a later page, offers a jump to the newest
/// instead of moving the rows someone is reading. Security events (sign-ins, tokens, users) are not published on the
/// status bus and show on the next load. The filters are the URL's query, so a filtered view is a link.
/// </summary>
public sealed partial class Audit : IAsyncDisposable
{
    private static readonly int[] PageSizes = [50, 100, 200];

    private readonly CancellationTokenSource _disposed = new();
    private MudTable<EventRow>? _table;
    private string? _error;
    private DateTime _now;
    private DateTime _lastUpdate;
    private AuditRequest _filter = new();
    private bool _filterRead;
    private string? _pinnedAgentName;
    private IReadOnlyDictionary<Guid, DeploymentRow> _deployments = new Dictionary<Guid, DeploymentRow>();
    private PageClock? _clock;
    private DashboardSubscription? _live;
    private bool _newer; // events arrived while a later page was shown

    /// <summary>Links from an agent page pin the list to that agent (<c>/audit?agent={id}</c>).</summary>
    [SupplyParameterFromQuery(Name = "agent")]
    public Guid? AgentId { get; set; }

    [SupplyParameterFromQuery(Name = "name")]
    public string? AgentName { get; set; }

    [SupplyParameterFromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [SupplyParameterFromQuery(Name = "actor")]
    public string? Actor { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public DateTime? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public DateTime? To { get; set; }

    [SupplyParameterFromQuery(Name = "security")]
    public bool? SecurityOnly { get; set; }

    [Inject]
    private IDashboardClient Data { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<Audit> Logger { get; set; } = default!;

    protected override void OnInitialized()
    {
        _now = _lastUpdate = Time.GetUtcNow().UtcDateTime;
        _live = Data.Subscribe(agentId: null, InvokeAsync, OnLiveAsync);
        _clock = PageClock.Start(Time, InvokeAsync, now =>
        {
            _now = now;
            StateHasChanged();
            return Task.CompletedTask;
        }, logger: Logger);
    }

    protected override async Task OnParametersSetAsync()
    {
        var filter = new AuditRequest(
            AgentId: AgentId,
            AgentName: AgentName,
            Kind: Enum.TryParse<EventKind>(Kind, ignoreCase: true, out var kind) ? kind : null,
            Actor: Actor,
            From: Utc(From),
            To: Utc(To),
            SecurityOnly: SecurityOnly == true);
        if (_filterRead && filter == _filter) return;
        _filterRead = true;
        if (filter.AgentId != _filter.AgentId || _pinnedAgentName is null && filter.AgentId is not null)
            _pinnedAgentName = filter.AgentId is { } id ? await Data.GetAgentNameAsync(id, _disposed.Token) ?? id.ToString() : null;
        _filter = filter;
        if (_table is not null) await FirstPageAsync();
    }

    /// <summary>New events were committed (or some were missed, or the connection came back: reloaded the same way).</summary>
    private async Task OnLiveAsync(IReadOnlyList<DashboardChange> changes)
    {
        if (_disposed.IsCancellationRequested || _table is null || _error is not null) return;
        var events = changes.OfType<TimelineEventAdded>().Select(c => c.Event).ToList();
        var stale = changes.Any(c => c is SnapshotStale);
        if (!stale && events.Count == 0) return;
        if (!stale && _filter.AgentId is { } pinned && events.All(e => e.AgentId != pinned)) return;
        _lastUpdate = Time.GetUtcNow().UtcDateTime;
        if (_table.CurrentPage == 0) await _table.ReloadServerData();
        else _newer = true;
        StateHasChanged();
    }

    // Loading the first page clears the notice (LoadAsync).
    private Task ShowNewestAsync() => FirstPageAsync();

    private async Task FirstPageAsync()
    {
        if (_table is null) return;
        if (_table.CurrentPage != 0) _table.NavigateTo(0);
        await _table.ReloadServerData();
    }

    private async Task<TableData<EventRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        if (state.Page == 0) _newer = false;
        _now = Time.GetUtcNow().UtcDateTime;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            var page = await Data.GetAuditAsync(_filter with { Skip = state.Page * state.PageSize, Take = state.PageSize }, linked.Token);
            _deployments = page.Deployments;
            return new TableData<EventRow> { Items = page.Events.Items, TotalItems = page.Events.Total };
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            Logger.LogWarning(e, "Loading the audit trail failed");
            _error = "The database did not answer: " + e.Message;
            return new TableData<EventRow> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>A filter changed: it goes into the URL, and the URL's parameters load the view (OnParametersSetAsync).</summary>
    private Task ApplyAsync(AuditRequest filter)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["agent"] = filter.AgentId,
            ["name"] = filter.AgentName,
            ["kind"] = filter.Kind?.ToString(),
            ["actor"] = filter.Actor,
            ["from"] = filter.From,
            ["to"] = filter.To,
            ["security"] = filter.SecurityOnly ? true : null,
        }), replace: true);
        return Task.CompletedTask;
    }

    private Task RetryAsync()
    {
        _error = null;
        return Task.CompletedTask; // the table renders again and loads its page
    }

    /// <summary>Names the page's deployments from one lookup per page; purged ones fall back to a short id.</summary>
    private string DeploymentLabel(Guid id) => Agents.EventText.Label(_deployments.GetValueOrDefault(id), id);

    private static DateTime? Utc(DateTime? v) => v is { } d ? DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc) : null;

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_live is not null) await _live.DisposeAsync();
        if (_clock is not null) await _clock.DisposeAsync();
    }
}
